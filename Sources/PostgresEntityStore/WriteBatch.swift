import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Applies the writes of one batch inside an open write transaction: each write and its change-log
/// row in one statement (a data-modifying `WITH`), so a write costs one round trip.
///
/// Any thrown error rolls the whole transaction back; errors carry the index of the failing write.
struct WriteBatch {
    let connection: PostgresConnection
    let logger: Logger

    /// A write with the text it stores computed ahead, outside the transaction.
    struct Prepared: Sendable {
        let write: EntityWrite
        /// Exact compact JSON of the values (inserts and updates).
        let document: String
        /// The `jsonb` input text of the values.
        let jsonb: String
        /// Normalized full-text words.
        let words: [String]
    }

    /// Serializes values and computes full-text words; pure, so it runs before the transaction begins.
    static func prepare(_ writes: [EntityWrite], state: StoreState) -> [Prepared] {
        writes.map { write in
            switch write {
            case .insert(let entity), .update(let entity, _):
                let values = JSON.object(entity.values)
                return Prepared(
                    write: write,
                    document: values.serialized(),
                    jsonb: JSONB.text(values),
                    words: FullTextSearch.words(
                        of: entity.values,
                        fields: state.searchFields(forStorageKey: entity.collection.storageKey)
                    )
                )
            case .delete:
                return Prepared(write: write, document: "", jsonb: "", words: [])
            }
        }
    }

    func apply(_ writes: [Prepared]) async throws(StoreError) -> [Int64] {
        var sequences: [Int64] = []
        sequences.reserveCapacity(writes.count)
        for (index, prepared) in writes.enumerated() {
            switch prepared.write {
            case .insert(let entity):
                sequences.append(try await insert(entity, prepared, index: index))
            case .update(let entity, let expectedVersion):
                sequences.append(try await update(entity, prepared, expectedVersion: expectedVersion, index: index))
            case .delete(let id, let collection, let expectedVersion):
                sequences.append(try await delete(id, in: collection, expectedVersion: expectedVersion, index: index))
            }
        }
        return sequences
    }

    private func insert(_ entity: Entity, _ prepared: Prepared, index: Int) async throws(StoreError) -> Int64 {
        let collection = entity.collection.storageKey
        let updatedAt = StoredTimestamp.text(entity.updatedAt)
        let statement =
            SQLFragment(
                "WITH written AS (INSERT INTO entities"
                    + #" (collection, id, document, "values", version, created_at, updated_at, created_by, search_words)"#
                    + " VALUES ("
            )
            + SQLFragment.joined(
                [
                    .bind(.text(collection)), .bind(.text(entity.id)), .bind(.text(prepared.document)),
                    .bind(.text(prepared.jsonb), "::jsonb"), .bind(.integer(entity.version)),
                    .bind(.text(StoredTimestamp.text(entity.createdAt))), .bind(.text(updatedAt)),
                    entity.createdBy.map { .bind(.text($0)) } ?? SQLFragment("NULL"),
                    SQLFragment("array_to_tsvector(") + .bind(.textArray(prepared.words), "::text[])"),
                ],
                separator: ", "
            )
            + SQLFragment(") RETURNING id, version) ")
            + logUpsert(collection: collection, at: updatedAt)
        do {
            return try await sequence(of: statement, index: index) ?? 0
        } catch let error where error.code == .duplicateID {
            throw StoreError(.duplicateID, "'\(entity.id)' already exists in '\(entity.collection)'", index: index)
        }
    }

    private func update(_ entity: Entity, _ prepared: Prepared, expectedVersion: Int64, index: Int)
        async throws(StoreError) -> Int64
    {
        let collection = entity.collection.storageKey
        let updatedAt = StoredTimestamp.text(entity.updatedAt)
        let statement =
            SQLFragment("WITH written AS (UPDATE entities SET document = ") + .bind(.text(prepared.document))
            + SQLFragment(#", "values" = "#) + .bind(.text(prepared.jsonb), "::jsonb")
            + SQLFragment(", version = ") + .bind(.integer(entity.version))
            + SQLFragment(", created_at = ") + .bind(.text(StoredTimestamp.text(entity.createdAt)))
            + SQLFragment(", updated_at = ") + .bind(.text(updatedAt))
            + SQLFragment(", created_by = ") + (entity.createdBy.map { .bind(.text($0)) } ?? SQLFragment("NULL"))
            + SQLFragment(", search_words = array_to_tsvector(") + .bind(.textArray(prepared.words), "::text[])")
            + SQLFragment(" WHERE collection = ") + .bind(.text(collection))
            + SQLFragment(" AND id = ") + .bind(.text(entity.id))
            + SQLFragment(" AND version = ") + .bind(.integer(expectedVersion))
            + SQLFragment(" RETURNING id, version) ")
            + logUpsert(collection: collection, at: updatedAt)
        guard let sequence = try await sequence(of: statement, index: index) else {
            throw try await missing(entity.id, in: entity.collection, expectedVersion: expectedVersion, index: index)
        }
        return sequence
    }

    private func delete(_ id: String, in collection: CollectionPath, expectedVersion: Int64?, index: Int)
        async throws(StoreError) -> Int64
    {
        let key = collection.storageKey
        var statement =
            SQLFragment("WITH written AS (DELETE FROM entities WHERE collection = ") + .bind(.text(key))
            + SQLFragment(" AND id = ") + .bind(.text(id))
        if let expectedVersion { statement += SQLFragment(" AND version = ") + .bind(.integer(expectedVersion)) }
        statement +=
            SQLFragment(" RETURNING id, version) ")
            + logChange("delete", collection: key, at: StoredTimestamp.text(Date()))
        guard let sequence = try await sequence(of: statement, index: index) else {
            throw try await missing(id, in: collection, expectedVersion: expectedVersion, index: index)
        }
        return sequence
    }

    /// The change-log half of an insert or update statement.
    private func logUpsert(collection: String, at timestamp: String) -> SQLFragment {
        logChange("upsert", collection: collection, at: timestamp)
    }

    /// The change-log half of a write statement: a row for the entity `written`, numbered one past the
    /// last change. Write transactions hold the exclusive lock on `changes`, so the numbers are dense
    /// and commit in order; a rolled-back batch leaves no hole (a sequence object would).
    private func logChange(_ kind: StaticString, collection: String, at timestamp: String) -> SQLFragment {
        SQLFragment(
            "INSERT INTO changes (sequence, kind, collection, id, version, at)"
                + " SELECT (SELECT COALESCE(max(sequence), 0) + 1 FROM changes), '\(kind)', "
        )
            + .bind(.text(collection)) + SQLFragment(", id, version, ") + .bind(.text(timestamp))
            + SQLFragment(" FROM written RETURNING sequence")
    }

    /// Runs a write statement; its change-log sequence, or `nil` when it wrote nothing.
    private func sequence(of statement: SQLFragment, index: Int) async throws(StoreError) -> Int64? {
        do {
            let rows = try await connection.query(statement.query, logger: logger).collect()
            return try rows.first?.decode(Int64.self)
        } catch {
            throw StoreError(postgres: error, index: index)
        }
    }

    /// The error for a compare-and-set that changed nothing: the entity is gone, or has another version.
    private func missing(_ id: String, in collection: CollectionPath, expectedVersion: Int64?, index: Int)
        async throws(StoreError) -> StoreError
    {
        let current: Int64?
        do {
            let rows = try await connection.query(
                "SELECT version FROM entities WHERE collection = \(collection.storageKey) AND id = \(id)",
                logger: logger
            ).collect()
            current = try rows.first?.decode(Int64.self)
        } catch {
            throw StoreError(postgres: error, index: index)
        }
        guard let current else {
            return StoreError(.notFound, "'\(id)' does not exist in '\(collection)'", index: index)
        }
        return StoreError(
            .versionConflict,
            "'\(id)' in '\(collection)' is at version \(current), not \(expectedVersion.map(String.init) ?? "any")",
            index: index
        )
    }
}
