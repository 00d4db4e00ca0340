import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes the `idempotency_keys` table.
enum IdempotencyTable {
    /// Inserts `record` and drops records past the retention period, inside the write transaction;
    /// fails with ``StoreError/Code/duplicateKey`` when the key is taken.
    static func insert(_ record: IdempotencyRecord, on connection: PostgresConnection, logger: Logger, index: Int)
        async throws(StoreError)
    {
        let expired = record.createdAt.timeIntervalSince1970 - idempotencyRetention
        let written = record.writtenJSON
        do {
            try await connection.query("DELETE FROM idempotency_keys WHERE created_at < \(expired)", logger: logger)
            try await connection.query(
                """
                INSERT INTO idempotency_keys (key, fingerprint, collection, ids, created_at) \
                VALUES (\(record.key), \(record.fingerprint), \(record.collection.storageKey), \(written), \
                \(record.createdAt.timeIntervalSince1970))
                """,
                logger: logger
            )
        } catch {
            if StoreError.isUniqueViolation(error) {
                throw StoreError(.duplicateKey, "the idempotency key was used by another request", index: index)
            }
            throw StoreError(postgres: error, index: index)
        }
    }

    /// The query for the record stored under `key`, unless it is older than `notBefore`.
    static func recordQuery(for key: String, notBefore: Date) -> PostgresQuery {
        """
        SELECT fingerprint, collection, ids, created_at FROM idempotency_keys \
        WHERE key = \(key) AND created_at >= \(notBefore.timeIntervalSince1970)
        """
    }

    /// The record in the rows of ``recordQuery(for:notBefore:)``, if any.
    static func record(for key: String, from rows: [PostgresRow]) throws(StoreError) -> IdempotencyRecord? {
        let row: (String, String, String, Double)?
        do {
            row = try rows.first?.decode((String, String, String, Double).self)
        } catch {
            throw StoreError(postgres: error)
        }
        guard let row else { return nil }
        return IdempotencyRecord(
            key: key,
            fingerprint: row.0,
            collection: CollectionPath(storageKey: row.1),
            written: IdempotencyRecord.written(fromJSON: row.2),
            createdAt: Date(timeIntervalSince1970: row.3)
        )
    }
}
