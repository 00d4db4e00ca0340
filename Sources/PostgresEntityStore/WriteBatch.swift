import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Applies the writes of one batch inside an open write transaction. A run of inserts or of updates
/// into one collection is one statement (``WriteRun``); a delete is one statement with its change-log
/// row (a data-modifying `WITH`). So a bulk create or update costs a few round trips whatever its size.
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

    /// Applies `writes` in order; returns the change-log sequence number of each.
    ///
    /// Numbers continue from the last change: write transactions hold the exclusive lock on `changes`,
    /// so they are dense and commit in order, and a rolled-back batch leaves no hole (a sequence
    /// object would).
    func apply(_ writes: [Prepared]) async throws(StoreError) -> [Int64] {
        let first = try await lastSequence() + 1
        var index = 0
        while index < writes.count {
            let sequence = first + Int64(index)
            if let run = WriteRun(writes, from: index) {
                let written = try await run.write(on: connection, logger: logger, firstSequence: sequence)
                if let failed = run.firstUnwritten(written) {
                    if run.kind == .insert {
                        throw StoreError(
                            .duplicateID,
                            "'\(failed.entity.id)' already exists in '\(failed.entity.collection)'",
                            index: failed.index
                        )
                    }
                    throw try await missing(
                        failed.entity.id,
                        in: failed.entity.collection,
                        expectedVersion: failed.expectedVersion,
                        index: failed.index
                    )
                }
                index = run.range.upperBound
            } else if case .delete(let id, let collection, let expectedVersion) = writes[index].write {
                try await delete(id, in: collection, expectedVersion: expectedVersion, sequence: sequence, index: index)
                index += 1
            }
        }
        return (0..<Int64(writes.count)).map { first + $0 }
    }

    private func lastSequence() async throws(StoreError) -> Int64 {
        do {
            let rows = try await connection.query("SELECT COALESCE(max(sequence), 0) FROM changes", logger: logger)
                .collect()
            return try rows.first?.decode(Int64.self) ?? 0
        } catch {
            throw StoreError(postgres: error)
        }
    }

    private func delete(
        _ id: String,
        in collection: CollectionPath,
        expectedVersion: Int64?,
        sequence: Int64,
        index: Int
    )
        async throws(StoreError)
    {
        let key = collection.storageKey
        var statement =
            SQLFragment("WITH written AS (DELETE FROM entities WHERE collection = ") + .bind(.text(key))
            + SQLFragment(" AND id = ") + .bind(.text(id))
        if let expectedVersion { statement += SQLFragment(" AND version = ") + .bind(.integer(expectedVersion)) }
        statement +=
            SQLFragment(" RETURNING id, version) ")
            + logDeletion(sequence: sequence, collection: key, at: StoredTimestamp.text(Date()))
        guard try await writesOne(statement, index: index) else {
            throw try await missing(id, in: collection, expectedVersion: expectedVersion, index: index)
        }
    }

    /// The change-log half of a delete: row `sequence`, for the entity `written`.
    private func logDeletion(sequence: Int64, collection: String, at timestamp: String) -> SQLFragment {
        SQLFragment("INSERT INTO changes (sequence, kind, collection, id, version, at) SELECT ")
            + .bind(.integer(sequence)) + SQLFragment(", 'delete', ") + .bind(.text(collection))
            + SQLFragment(", id, version, ") + .bind(.text(timestamp)) + SQLFragment(" FROM written RETURNING sequence")
    }

    /// Runs a delete statement; whether it deleted its entity.
    private func writesOne(_ statement: SQLFragment, index: Int) async throws(StoreError) -> Bool {
        do {
            return try await !connection.query(statement.query, logger: logger).collect().isEmpty
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
