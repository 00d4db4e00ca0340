import EntityModel
import EntityStore
import Logging
import PostgresNIO

/// Consecutive inserts of a batch into one collection, written with their change-log rows by one
/// statement over arrays of the values (`unnest`): a bulk create of 1,000 entities is one round trip.
///
/// A run never holds one id twice: it ends before an id it already has, so the repeat is checked (and
/// refused) against the stored entity by the next run, at its own index.
struct InsertRun {
    /// The positions of the run's writes in the batch.
    let range: Range<Int>
    private let collection: CollectionPath
    private let writes: ArraySlice<WriteBatch.Prepared>

    /// The most inserts in one statement, which bounds its size.
    static let maximumCount = 1000

    /// The run of inserts into `collection` that starts at `start`.
    init(_ batch: [WriteBatch.Prepared], from start: Int, collection: CollectionPath) {
        var end = start
        var ids = Set<String>()
        while end < batch.count, end - start < Self.maximumCount, case .insert(let entity) = batch[end].write,
            entity.collection == collection, ids.insert(entity.id).inserted
        {
            end += 1
        }
        self.range = start..<end
        self.collection = collection
        self.writes = batch[range]
    }

    private var entities: [Entity] {
        writes.map { prepared in
            guard case .insert(let entity) = prepared.write else { preconditionFailure("an insert run holds inserts") }
            return entity
        }
    }

    /// Inserts the run, numbering its change-log rows from `firstSequence`; fails with
    /// ``StoreError/Code/duplicateID`` at the index of the first id that exists already.
    func insert(on connection: PostgresConnection, logger: Logger, firstSequence: Int64) async throws(StoreError) {
        let entities = self.entities
        let key = SQLFragment.bind(.text(collection.storageKey))
        let input =
            SQLFragment("WITH input AS (SELECT * FROM unnest(")
            + SQLFragment.joined(
                [
                    .bind(.textArray(entities.map(\.id)), "::text[]"),
                    .bind(.textArray(writes.map(\.document)), "::text[]"),
                    .bind(.textArray(writes.map(\.jsonb)), "::text[]"),
                    .bind(.integerArray(entities.map(\.version)), "::bigint[]"),
                    .bind(.textArray(entities.map { StoredTimestamp.text($0.createdAt) }), "::text[]"),
                    .bind(.textArray(entities.map { StoredTimestamp.text($0.updatedAt) }), "::text[]"),
                    .bind(.textArray(entities.map { $0.createdBy ?? "" }), "::text[]"),
                    .bind(.booleanArray(entities.map { $0.createdBy != nil }), "::boolean[]"),
                    .bind(.textArray(writes.map { JSON.array($0.words.map(JSON.string)).serialized() }), "::text[]"),
                    .bind(
                        .integerArray(writes.indices.map { firstSequence + Int64($0 - range.lowerBound) }),
                        "::bigint[]"
                    ),
                ],
                separator: ", "
            )
            + SQLFragment(
                ") AS input(id, document, jsonb, version, created_at, updated_at, created_by, has_creator, words, sequence))"
            )
        let statement =
            input
            + SQLFragment(
                #", written AS (INSERT INTO entities (collection, id, document, "values", version, created_at,"#
                    + " updated_at, created_by, search_words) SELECT "
            )
            + key
            + SQLFragment(
                ", id, document, jsonb::jsonb, version, created_at, updated_at,"
                    + " CASE WHEN has_creator THEN created_by END,"
                    + " array_to_tsvector(ARRAY(SELECT jsonb_array_elements_text(words::jsonb)))"
                    + " FROM input ORDER BY sequence ON CONFLICT (collection, id) DO NOTHING RETURNING id)"
                    + ", logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at)"
                    + " SELECT input.sequence, 'upsert', "
            )
            + key
            + SQLFragment(
                ", input.id, input.version, input.updated_at FROM input JOIN written USING (id))"
                    + " SELECT id FROM written"
            )
        let written: Set<String>
        do {
            let rows = try await connection.query(statement.query, logger: logger).collect()
            written = Set(try rows.map { try $0.decode(String.self) })
        } catch {
            throw StoreError(postgres: error, index: range.lowerBound)
        }
        guard written.count < entities.count else { return }
        let position = entities.firstIndex { !written.contains($0.id) } ?? 0
        throw StoreError(
            .duplicateID,
            "'\(entities[position].id)' already exists in '\(collection)'",
            index: range.lowerBound + position
        )
    }
}
