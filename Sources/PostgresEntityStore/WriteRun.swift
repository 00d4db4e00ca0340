import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Consecutive writes of one kind (inserts, updates or deletes) of a batch in one collection, written
/// with their change-log rows by one statement over arrays of the values (`unnest`): a bulk create or
/// update of 1,000 entities is one round trip, a bulk delete two (the second deletes their grants).
///
/// A run never holds one id twice: it ends before an id it already has, so the repeat is written (or
/// refused) by the next run, at its own index, after the first is in place.
struct WriteRun {
    enum Kind { case insert, update, delete }

    /// The positions of the run's writes in the batch.
    let range: Range<Int>
    let kind: Kind
    private let collection: CollectionPath
    private let writes: ArraySlice<WriteBatch.Prepared>
    /// The ids written, and the versions they must be at (nil: inserts, and deletes of any version).
    private let ids: [String]
    private let expectedVersions: [Int64?]
    /// The entities written by inserts and updates (empty for deletes).
    private let entities: [Entity]

    /// The most writes in one statement, which bounds its size.
    static let maximumCount = 1000

    /// The run that starts at `start`.
    init(_ batch: [WriteBatch.Prepared], from start: Int) {
        let (kind, collection, _, _) = Self.describe(batch[start].write)
        var end = start
        var ids: [String] = []
        var expected: [Int64?] = []
        var entities: [Entity] = []
        var seen = Set<String>()
        while end < batch.count, end - start < Self.maximumCount {
            let (nextKind, nextCollection, id, version) = Self.describe(batch[end].write)
            guard nextKind == kind, nextCollection == collection, seen.insert(id).inserted else { break }
            ids.append(id)
            expected.append(version)
            switch batch[end].write {
            case .insert(let entity), .update(let entity, _): entities.append(entity)
            case .delete: break
            }
            end += 1
        }
        self.range = start..<end
        self.kind = kind
        self.collection = collection
        self.writes = batch[range]
        self.ids = ids
        self.expectedVersions = expected
        self.entities = entities
    }

    private static func describe(_ write: EntityWrite) -> (Kind, CollectionPath, String, Int64?) {
        switch write {
        case .insert(let entity): return (.insert, entity.collection, entity.id, nil)
        case .update(let entity, let version): return (.update, entity.collection, entity.id, version)
        case .delete(let id, let collection, let version): return (.delete, collection, id, version)
        }
    }

    /// Writes the run, numbering its change-log rows from `firstSequence`. Returns the ids written;
    /// the caller names the first write of the run that wrote nothing (an insert of an existing id,
    /// an update of a missing entity or another version).
    func write(on connection: PostgresConnection, logger: Logger, firstSequence: Int64) async throws(StoreError)
        -> Set<String>
    {
        let statement: SQLFragment
        switch kind {
        case .insert:
            statement = input(firstSequence: firstSequence) + insertion + logged + SQLFragment(Self.writtenRows)
        case .update: statement = input(firstSequence: firstSequence) + update + logged + unreferencing
        case .delete: statement = deletionInput(firstSequence: firstSequence) + deletion + unreferencing
        }
        do {
            var written: [String] = []
            var unreferenced: [String: Set<String>] = [:]
            for try await (id, digest) in try await connection.query(statement.query, logger: logger)
                .decode((String, String?).self)
            {
                if let digest { unreferenced[id, default: []].insert(digest) } else { written.append(id) }
            }
            if kind == .delete, !written.isEmpty {
                try await connection.query(ungranting(written).query, logger: logger)
            }
            // A run that wrote fewer rows fails the batch (and rolls it back): the feed and the file
            // references are kept for complete runs only.
            if written.count == ids.count {
                try await recordInFeed(firstSequence: firstSequence, on: connection, logger: logger)
                try await FileStatements.replaceReferences(
                    in: collection,
                    removed: unreferenced,
                    added: zip(entities.map(\.id), writes.map(\.files)).filter { !$0.1.isEmpty },
                    on: connection,
                    logger: logger
                )
            }
            return Set(written)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(postgres: error, index: range.lowerBound)
        }
    }

    /// The first write of the run whose id is not among `written`: its position in the batch, its id,
    /// collection and expected version.
    func firstUnwritten(_ written: Set<String>) -> (
        index: Int, id: String, collection: CollectionPath, expectedVersion: Int64?
    )? {
        guard let position = ids.firstIndex(where: { !written.contains($0) }) else { return nil }
        return (range.lowerBound + position, ids[position], collection, expectedVersions[position])
    }

    private var key: SQLFragment { .bind(.text(collection.storageKey)) }

    private func recordInFeed(firstSequence: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        let sequences = ids.indices.map { firstSequence + Int64($0) }
        switch kind {
        case .insert, .update:
            try await FeedStatements.recordUpserts(
                in: collection,
                ids: ids,
                sequences: sequences,
                versions: entities.map(\.version),
                creators: entities.map(\.createdBy),
                areNew: kind == .insert,
                on: connection,
                logger: logger
            )
        case .delete:
            try await FeedStatements.recordDeletions(
                in: collection,
                ids: ids,
                sequences: sequences,
                on: connection,
                logger: logger
            )
        }
    }

    /// `WITH input AS (…)`: one row per write, numbered with its change-log sequence.
    private func input(firstSequence: Int64) -> SQLFragment {
        SQLFragment("WITH input AS (SELECT * FROM unnest(")
            + SQLFragment.joined(
                [
                    .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: entities.count)), "::text[]"),
                    .bind(.textArray(entities.map(\.id)), "::text[]"),
                    .bind(.textArray(writes.map(\.document)), "::text[]"),
                    .bind(.textArray(writes.map(\.jsonb)), "::text[]"),
                    .bind(.integerArray(entities.map(\.version)), "::bigint[]"),
                    .bind(.integerArray(expectedVersions.map { $0 ?? 0 }), "::bigint[]"),
                    .bind(.textArray(entities.map { StoredTimestamp.text($0.createdAt) }), "::text[]"),
                    .bind(.textArray(entities.map { StoredTimestamp.text($0.updatedAt) }), "::text[]"),
                    .bind(.textArray(entities.map { $0.createdBy ?? "" }), "::text[]"),
                    .bind(.booleanArray(entities.map { $0.createdBy != nil }), "::boolean[]"),
                    .bind(.textArray(writes.map { JSON.array($0.words.map(JSON.string)).serialized() }), "::text[]"),
                    .bind(.integerArray(entities.indices.map { firstSequence + Int64($0) }), "::bigint[]"),
                ],
                separator: ", "
            )
            + SQLFragment(
                ") AS input(collection, id, document, jsonb, version, expected, created_at, updated_at, created_by,"
                    + " has_creator, words, sequence))"
            )
    }

    /// The `search_words` of the row `source` (`input` or `found`).
    private static func searchWords(of source: String) -> String {
        "array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(\(source).words::jsonb)))"
    }

    /// `written AS (INSERT …)`: the inserts, skipping ids that exist.
    private var insertion: SQLFragment {
        SQLFragment(
            #", written AS (INSERT INTO entities (collection, id, document, "values", version, created_at,"#
                + " updated_at, created_by, search_words) SELECT "
        ) + key
            + SQLFragment(
                ", input.id, input.document, input.jsonb::jsonb, input.version, input.created_at, input.updated_at,"
                    + " CASE WHEN input.has_creator THEN input.created_by END, \(Self.searchWords(of: "input"))"
                    + " FROM input ORDER BY input.sequence ON CONFLICT (collection, id) DO NOTHING RETURNING id)"
            )
    }

    /// `written AS (UPDATE …)`: the updates of entities still at their expected version.
    private var update: SQLFragment {
        SQLFragment(
            ", found AS (SELECT input.*, target.row FROM input "
                + KeyedLookup.probe(
                    "entities",
                    where: "collection = input.collection AND id = input.id AND version = input.expected",
                    as: "target"
                )
                + #"), written AS (UPDATE entities SET document = found.document, "values" = found.jsonb::jsonb,"#
                + " version = found.version, created_at = found.created_at, updated_at = found.updated_at,"
                + " created_by = CASE WHEN found.has_creator THEN found.created_by END,"
                + " search_words = \(Self.searchWords(of: "found")) FROM found WHERE entities.ctid = found.row"
                + " RETURNING entities.collection, entities.id)"
        )
    }

    /// `WITH input AS (…)` of deletes: ids, expected versions (when given) and change-log sequences.
    private func deletionInput(firstSequence: Int64) -> SQLFragment {
        SQLFragment("WITH input AS (SELECT * FROM unnest(")
            + SQLFragment.joined(
                [
                    .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: ids.count)), "::text[]"),
                    .bind(.textArray(ids), "::text[]"),
                    .bind(.integerArray(expectedVersions.map { $0 ?? 0 }), "::bigint[]"),
                    .bind(.booleanArray(expectedVersions.map { $0 != nil }), "::boolean[]"),
                    .bind(.integerArray(ids.indices.map { firstSequence + Int64($0) }), "::bigint[]"),
                ],
                separator: ", "
            )
            + SQLFragment(") AS input(collection, id, expected, has_expected, sequence))")
    }

    /// `written AS (DELETE …)` with the change-log rows of the entities deleted (with the version they
    /// had). Their grants go in a statement of their own,
    /// ``ungranting(_:)``.
    private var deletion: SQLFragment {
        SQLFragment(
            ", found AS (SELECT target.row FROM input "
                + KeyedLookup.probe(
                    "entities",
                    where: "collection = input.collection AND id = input.id"
                        + " AND (NOT input.has_expected OR version = input.expected)",
                    as: "target"
                )
                + "), written AS (DELETE FROM entities USING found WHERE entities.ctid = found.row"
                + " RETURNING entities.collection, entities.id, entities.version)"
                + ", logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at)"
                + " SELECT input.sequence, 'delete', "
        ) + key
            + SQLFragment(", written.id, written.version, ") + .bind(.text(StoredTimestamp.text(Date())))
            + SQLFragment(" FROM input JOIN written USING (id))")
    }

    /// The statement's rows: the ids written, each with a `NULL` digest.
    private static let writtenRows = " SELECT id, NULL::text FROM written"

    /// `unreferenced AS (DELETE …)`: the file references of the entities written, which an update
    /// replaces and a delete removes; the statement's rows are the ids written, then each removed
    /// reference as (entity id, digest).
    private var unreferencing: SQLFragment {
        SQLFragment(
            ", unreferenced AS (DELETE FROM file_refs USING written WHERE file_refs.collection = written.collection"
                + " AND file_refs.entity_id = written.id RETURNING file_refs.entity_id, file_refs.sha256)"
                + Self.writtenRows + " UNION ALL SELECT entity_id, sha256 FROM unreferenced"
        )
    }

    /// Deletes the grants on the entities `deleted`, after the statement that deleted them.
    ///
    /// It must be a statement of its own, not a part of the deleting one: under READ COMMITTED every
    /// part of a statement reads the snapshot taken when the statement began. `saveGrant` locks the
    /// entity row (`FOR KEY SHARE`) before it writes the grant, so the deletion of that row waits for it
    /// to commit, and then deletes the row (a lock is no change to it); a grant-deleting part of the
    /// same statement would still read the earlier snapshot, miss that grant and leave it behind, for an
    /// entity inserted later under the same id to inherit. This statement takes its snapshot after the
    /// entity deletion returned, so it sees every grant committed before: and no grant on these entities
    /// can commit after, since `saveGrant` needs the row lock this transaction now holds (it waits for
    /// this transaction and then finds no row: ``StoreError/Code/notFound``).
    private func ungranting(_ deleted: [String]) -> SQLFragment {
        SQLFragment("DELETE FROM grants USING unnest(")
            + .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: deleted.count)), "::text[]")
            + SQLFragment(", ") + .bind(.textArray(deleted), "::text[]")
            + SQLFragment(
                ") AS deleted(collection, entity_id)"
                    + " WHERE grants.collection = deleted.collection AND grants.entity_id = deleted.entity_id"
            )
    }

    /// The change-log rows of the entities `written`.
    private var logged: SQLFragment {
        SQLFragment(
            ", logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at)"
                + " SELECT input.sequence, 'upsert', "
        ) + key
            + SQLFragment(
                ", input.id, input.version, input.updated_at FROM input JOIN written USING (id))"
            )
    }
}
