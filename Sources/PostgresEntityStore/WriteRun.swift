import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Consecutive writes of one kind (inserts, updates or deletes) of a batch in one collection, written
/// by one statement over arrays of the values (`unnest`), then logged by a second (``RunLog``: the
/// change-log and feed rows): a bulk create or update of 1,000 entities is two round trips, a bulk
/// delete three (the third deletes their grants and version stamps). Both statements of inserts and updates are built,
/// their values encoded, when the run is made, before the transaction takes the change log's lock.
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
    /// The statement that writes the entities.
    private let statement: PostgresQuery
    /// The statement that logs inserts and updates (deletes log the versions they deleted).
    private let upsertLog: PostgresQuery?

    /// The statements built ahead: the entity statement, and the log of inserts and updates.
    var builtStatements: [PostgresQuery] { [statement] + (upsertLog.map { [$0] } ?? []) }

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
        // Both statements of inserts and updates store the time of the change.
        let updated = entities.map { StoredTimestamp.text($0.updatedAt) }
        switch kind {
        case .insert:
            statement =
                (Self.input(collection, writes[range], entities, expected, updated) + Self.insertion(collection)
                + SQLFragment(Self.writtenRows)).query
            upsertLog = Self.log(
                .insert(readers: RunLog.readers(of: entities, in: collection)),
                collection,
                entities,
                updated
            )
        case .update:
            statement =
                (Self.input(collection, writes[range], entities, expected, updated) + Self.update
                + Self.unreferencing).query
            upsertLog = Self.log(
                .update(readers: RunLog.readers(of: entities, in: collection)),
                collection,
                entities,
                updated
            )
        case .delete:
            statement = (Self.deletionInput(collection, ids, expected) + Self.deletion + Self.unreferencing).query
            upsertLog = nil
        }
    }

    /// The log of `entities` inserted or updated in `collection`, changed at `updated`.
    private static func log(
        _ kind: RunLog.Kind,
        _ collection: CollectionPath,
        _ entities: [Entity],
        _ updated: [String]
    ) -> PostgresQuery {
        RunLog(
            kind,
            in: collection,
            ids: entities.map(\.id),
            versions: entities.map(\.version),
            times: updated
        ).fragment.query
    }

    private static func describe(_ write: EntityWrite) -> (Kind, CollectionPath, String, Int64?) {
        switch write {
        case .insert(let entity): return (.insert, entity.collection, entity.id, nil)
        case .update(let entity, let version): return (.update, entity.collection, entity.id, version)
        case .delete(let id, let collection, let version): return (.delete, collection, id, version)
        }
    }

    /// What the entity statement of a run wrote.
    struct Outcome {
        /// The ids written.
        var written: Set<String> = []
        /// The version each deleted entity had.
        var deletedVersions: [String: Int64] = [:]
        /// The file references the writes removed, by entity id.
        var unreferenced: [String: Set<String>] = [:]
    }

    /// Writes the entities (and, for deletes, removes their grants). The caller names the first write
    /// of the run that wrote nothing (an insert of an existing id, an update of a missing entity or
    /// another version) from ``Outcome/written``, before ``log(_:on:logger:)``.
    func write(on connection: PostgresConnection, logger: Logger) async throws(StoreError) -> Outcome {
        do {
            var outcome = Outcome()
            for try await (id, digest, version) in try await connection.query(statement, logger: logger)
                .decode((String, String?, Int64?).self)
            {
                if let digest {
                    outcome.unreferenced[id, default: []].insert(digest)
                } else {
                    outcome.written.insert(id)
                    if let version { outcome.deletedVersions[id] = version }
                }
            }
            if kind == .delete, !outcome.written.isEmpty {
                try await connection.query(ungranting(Array(outcome.written)).query, logger: logger)
            }
            return outcome
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(postgres: error, index: range.lowerBound)
        }
    }

    /// Logs a complete run (every write written) under the change log's lock: its change-log and feed
    /// rows, and its file references. Returns the sequence of its first write.
    func log(_ outcome: Outcome, on connection: PostgresConnection, logger: Logger) async throws(StoreError)
        -> Int64
    {
        let statement =
            upsertLog
            ?? RunLog(
                .delete,
                in: collection,
                ids: ids,
                versions: ids.map { outcome.deletedVersions[$0] ?? 0 },
                times: Array(repeating: StoredTimestamp.text(Date()), count: ids.count)
            ).fragment.query
        do {
            let rows = try await connection.query(statement, logger: logger).collect()
            guard let first = try rows.first?.decode(Int64.self) else {
                throw StoreError(.internal, "the change log's sequence was not returned", index: range.lowerBound)
            }
            try await FileStatements.replaceReferences(
                in: collection,
                removed: outcome.unreferenced,
                added: zip(entities.map(\.id), writes.map(\.files)).filter { !$0.1.isEmpty },
                on: connection,
                logger: logger
            )
            return first
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

    /// `WITH input AS (…)`: one row per insert or update, in batch order (`position`).
    private static func input(
        _ collection: CollectionPath,
        _ writes: ArraySlice<WriteBatch.Prepared>,
        _ entities: [Entity],
        _ expectedVersions: [Int64?],
        _ updated: [String]
    ) -> SQLFragment {
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
                    .bind(.textArray(updated), "::text[]"),
                    .bind(.textArray(entities.map { $0.createdBy ?? "" }), "::text[]"),
                    .bind(.booleanArray(entities.map { $0.createdBy != nil }), "::boolean[]"),
                    .bind(.textArray(writes.map { JSON.array($0.words.map(JSON.string)).serialized() }), "::text[]"),
                ],
                separator: ", "
            )
            + SQLFragment(
                ") WITH ORDINALITY AS input(collection, id, document, jsonb, version, expected, created_at,"
                    + " updated_at, created_by, has_creator, words, position))"
            )
    }

    /// The `search_words` of the row `source` (`input` or `found`).
    private static func searchWords(of source: String) -> String {
        "array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(\(source).words::jsonb)))"
    }

    /// `written AS (INSERT …)`: the inserts, skipping ids that exist.
    private static func insertion(_ collection: CollectionPath) -> SQLFragment {
        SQLFragment(
            #", written AS (INSERT INTO entities (collection, id, document, "values", version, created_at,"#
                + " updated_at, created_by, search_words) SELECT "
        ) + .bind(.text(collection.storageKey))
            + SQLFragment(
                ", input.id, input.document, input.jsonb::jsonb, input.version, input.created_at, input.updated_at,"
                    + " CASE WHEN input.has_creator THEN input.created_by END, \(searchWords(of: "input"))"
                    + " FROM input ORDER BY input.position ON CONFLICT (collection, id) DO NOTHING RETURNING id)"
            )
    }

    /// `written AS (UPDATE …)`: the updates of entities still at their expected version.
    private static let update = SQLFragment(
        ", found AS (SELECT input.*, target.row FROM input "
            + KeyedLookup.probe(
                "entities",
                where: "collection = input.collection AND id = input.id AND version = input.expected",
                as: "target"
            )
            + #"), written AS (UPDATE entities SET document = found.document, "values" = found.jsonb::jsonb,"#
            + " version = found.version, created_at = found.created_at, updated_at = found.updated_at,"
            + " created_by = CASE WHEN found.has_creator THEN found.created_by END,"
            + " search_words = \(searchWords(of: "found")) FROM found WHERE entities.ctid = found.row"
            + " RETURNING entities.collection, entities.id, NULL::bigint AS version)"
    )

    /// `WITH input AS (…)` of deletes: ids and expected versions (when given).
    private static func deletionInput(_ collection: CollectionPath, _ ids: [String], _ expectedVersions: [Int64?])
        -> SQLFragment
    {
        SQLFragment("WITH input AS (SELECT * FROM unnest(")
            + SQLFragment.joined(
                [
                    .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: ids.count)), "::text[]"),
                    .bind(.textArray(ids), "::text[]"),
                    .bind(.integerArray(expectedVersions.map { $0 ?? 0 }), "::bigint[]"),
                    .bind(.booleanArray(expectedVersions.map { $0 != nil }), "::boolean[]"),
                ],
                separator: ", "
            )
            + SQLFragment(") AS input(collection, id, expected, has_expected))")
    }

    /// `written AS (DELETE …)`: the entities deleted, with the version they had. Their grants go in a
    /// statement of their own, ``ungranting(_:)``.
    private static let deletion = SQLFragment(
        ", found AS (SELECT target.row FROM input "
            + KeyedLookup.probe(
                "entities",
                where: "collection = input.collection AND id = input.id"
                    + " AND (NOT input.has_expected OR version = input.expected)",
                as: "target"
            )
            + "), written AS (DELETE FROM entities USING found WHERE entities.ctid = found.row"
            + " RETURNING entities.collection, entities.id, entities.version)"
    )

    /// The statement's rows: the ids written, each with a `NULL` digest and, for deletes, the version
    /// deleted.
    private static let writtenRows = " SELECT id, NULL::text, NULL::bigint FROM written"

    /// `unreferenced AS (DELETE …)`: the file references of the entities written, which an update
    /// replaces and a delete removes; the statement's rows are the ids written (with the version a
    /// delete removed), then each removed reference as (entity id, digest).
    private static let unreferencing = SQLFragment(
        ", unreferenced AS (DELETE FROM file_refs USING (SELECT target.row FROM written"
            + KeyedLookup.probe(
                "file_refs",
                where: "collection = written.collection AND entity_id = written.id",
                as: "target"
            )
            + ") AS found WHERE file_refs.ctid = found.row RETURNING file_refs.entity_id, file_refs.sha256)"
            + " SELECT id, NULL::text, version FROM written"
            + " UNION ALL SELECT entity_id, sha256, NULL::bigint FROM unreferenced"
    )

    /// Deletes the grants (and the version stamps) of the entities `deleted`, after the statement that
    /// deleted them.
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
        SQLFragment("WITH deleted(collection, entity_id) AS (SELECT * FROM unnest(")
            + .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: deleted.count)), "::text[]")
            + SQLFragment(", ") + .bind(.textArray(deleted), "::text[]")
            + SQLFragment(
                ")), ungranted AS (DELETE FROM grants USING deleted"
                    + " WHERE grants.collection = deleted.collection AND grants.entity_id = deleted.entity_id)"
                    + " DELETE FROM version_stamps USING deleted WHERE version_stamps.collection = deleted.collection"
                    + " AND version_stamps.entity_id = deleted.entity_id"
            )
    }
}
