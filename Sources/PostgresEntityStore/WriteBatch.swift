import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Applies the writes of one batch inside an open write transaction: each run of inserts, updates or
/// deletes in one collection is one statement with its change-log rows (``WriteRun``), so a bulk write
/// costs a few round trips whatever its size.
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
        /// The files the values refer to (``FileReference``).
        let files: Set<String>
    }

    /// Serializes values and computes full-text words; pure, so it runs before the transaction begins.
    static func prepare(_ writes: [EntityWrite], state: StoreState) -> [Prepared] {
        writes.map { write in
            switch write {
            case .insert(let entity), .update(let entity, _):
                let values = JSON.object(entity.values)
                let document = values.serialized()
                return Prepared(
                    write: write,
                    document: document,
                    jsonb: JSONB.text(values, serialized: document),
                    words: FullTextSearch.words(
                        of: entity.values,
                        fields: state.searchFields(forStorageKey: entity.collection.storageKey)
                    ),
                    files: FileReference.digests(in: entity.values)
                )
            case .delete:
                return Prepared(write: write, document: "", jsonb: "", words: [], files: [])
            }
        }
    }

    /// The runs that write `writes`, their statements built (pure, so before the transaction).
    static func runs(_ writes: [Prepared]) -> [WriteRun] {
        var runs: [WriteRun] = []
        var index = 0
        while index < writes.count {
            let run = WriteRun(writes, from: index)
            runs.append(run)
            index = run.range.upperBound
        }
        return runs
    }

    /// Applies `runs` in order; returns the change-log sequence number of each write.
    ///
    /// Numbers continue from the last change: write transactions hold the exclusive lock on `changes`,
    /// so they are dense and commit in order, and a rolled-back batch leaves no hole (a sequence
    /// object would).
    func apply(_ runs: [WriteRun]) async throws(StoreError) -> [Int64] {
        var first: Int64?
        for run in runs {
            let outcome = try await run.write(on: connection, logger: logger)
            if let failed = run.firstUnwritten(outcome.written) {
                if run.kind == .insert {
                    throw StoreError(
                        .duplicateID,
                        "'\(failed.id)' already exists in '\(failed.collection)'",
                        index: failed.index
                    )
                }
                throw try await missing(
                    failed.id,
                    in: failed.collection,
                    expectedVersion: failed.expectedVersion,
                    index: failed.index
                )
            }
            let logged = try await run.log(outcome, on: connection, logger: logger)
            if first == nil { first = logged }
        }
        let count = runs.last?.range.upperBound ?? 0
        return (0..<Int64(count)).map { (first ?? 0) + $0 }
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
