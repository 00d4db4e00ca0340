import EntityModel
import EntityStore
import Logging
import PostgresNIO

/// Consecutive inserts, or consecutive updates, of a batch into one collection, written with their
/// change-log rows by one statement over arrays of the values (`unnest`): a bulk create or a bulk
/// update of 1,000 entities is one round trip.
///
/// A run never holds one id twice: it ends before an id it already has, so the repeat is written (or
/// refused) by the next run, at its own index, after the first is in place.
struct WriteRun {
    enum Kind { case insert, update }

    /// The positions of the run's writes in the batch.
    let range: Range<Int>
    let kind: Kind
    private let collection: CollectionPath
    private let writes: ArraySlice<WriteBatch.Prepared>
    /// The entities written, and for updates the versions they replace.
    private let entities: [Entity]
    private let expectedVersions: [Int64]

    /// The most writes in one statement, which bounds its size.
    static let maximumCount = 1000

    /// The run that starts at `start`, or `nil` when the write there is a delete.
    init?(_ batch: [WriteBatch.Prepared], from start: Int) {
        guard let (kind, first) = Self.kind(of: batch[start].write) else { return nil }
        var end = start
        var ids = Set<String>()
        var entities: [Entity] = []
        var expected: [Int64] = []
        while end < batch.count, end - start < Self.maximumCount, let (next, entity) = Self.kind(of: batch[end].write),
            next == kind, entity.collection == first.collection, ids.insert(entity.id).inserted
        {
            entities.append(entity)
            if case .update(_, let version) = batch[end].write { expected.append(version) }
            end += 1
        }
        self.range = start..<end
        self.kind = kind
        self.collection = first.collection
        self.writes = batch[range]
        self.entities = entities
        self.expectedVersions = expected
    }

    private static func kind(of write: EntityWrite) -> (Kind, Entity)? {
        switch write {
        case .insert(let entity): return (.insert, entity)
        case .update(let entity, _): return (.update, entity)
        case .delete: return nil
        }
    }

    /// Writes the run, numbering its change-log rows from `firstSequence`. Returns the ids written;
    /// the caller names the first write of the run that wrote nothing (an insert of an existing id,
    /// an update of a missing entity or another version).
    func write(on connection: PostgresConnection, logger: Logger, firstSequence: Int64) async throws(StoreError)
        -> Set<String>
    {
        let statement = input(firstSequence: firstSequence) + (kind == .insert ? insertion : update) + logged
        do {
            let rows = try await connection.query(statement.query, logger: logger).collect()
            return Set(try rows.map { try $0.decode(String.self) })
        } catch {
            throw StoreError(postgres: error, index: range.lowerBound)
        }
    }

    /// The first write of the run whose entity is not among `written`, with its position in the batch.
    func firstUnwritten(_ written: Set<String>) -> (index: Int, entity: Entity, expectedVersion: Int64?)? {
        guard let position = entities.firstIndex(where: { !written.contains($0.id) }) else { return nil }
        let expected = kind == .update ? expectedVersions[position] : nil
        return (range.lowerBound + position, entities[position], expected)
    }

    private var key: SQLFragment { .bind(.text(collection.storageKey)) }

    /// `WITH input AS (…)`: one row per write, numbered with its change-log sequence.
    private func input(firstSequence: Int64) -> SQLFragment {
        SQLFragment("WITH input AS (SELECT * FROM unnest(")
            + SQLFragment.joined(
                [
                    .bind(.textArray(entities.map(\.id)), "::text[]"),
                    .bind(.textArray(writes.map(\.document)), "::text[]"),
                    .bind(.textArray(writes.map(\.jsonb)), "::text[]"),
                    .bind(.integerArray(entities.map(\.version)), "::bigint[]"),
                    .bind(.integerArray(kind == .update ? expectedVersions : entities.map { _ in 0 }), "::bigint[]"),
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
                ") AS input(id, document, jsonb, version, expected, created_at, updated_at, created_by, has_creator,"
                    + " words, sequence))"
            )
    }

    private static let searchWords = "array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(input.words::jsonb)))"

    /// `written AS (INSERT …)`: the inserts, skipping ids that exist.
    private var insertion: SQLFragment {
        SQLFragment(
            #", written AS (INSERT INTO entities (collection, id, document, "values", version, created_at,"#
                + " updated_at, created_by, search_words) SELECT "
        ) + key
            + SQLFragment(
                ", input.id, input.document, input.jsonb::jsonb, input.version, input.created_at, input.updated_at,"
                    + " CASE WHEN input.has_creator THEN input.created_by END, \(Self.searchWords)"
                    + " FROM input ORDER BY input.sequence ON CONFLICT (collection, id) DO NOTHING RETURNING id)"
            )
    }

    /// `written AS (UPDATE …)`: the updates of entities still at their expected version.
    private var update: SQLFragment {
        SQLFragment(
            #", written AS (UPDATE entities SET document = input.document, "values" = input.jsonb::jsonb,"#
                + " version = input.version, created_at = input.created_at, updated_at = input.updated_at,"
                + " created_by = CASE WHEN input.has_creator THEN input.created_by END,"
                + " search_words = \(Self.searchWords) FROM input WHERE entities.collection = "
        ) + key
            + SQLFragment(" AND entities.id = input.id AND entities.version = input.expected RETURNING entities.id)")
    }

    /// The change-log rows of the entities `written`, and their ids as the statement's rows.
    private var logged: SQLFragment {
        SQLFragment(
            ", logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at)"
                + " SELECT input.sequence, 'upsert', "
        ) + key
            + SQLFragment(
                ", input.id, input.version, input.updated_at FROM input JOIN written USING (id)) SELECT id FROM written"
            )
    }
}
