import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes the `idempotency_keys` table.
enum IdempotencyTable {
    /// Inserts `record` and drops records past the retention period; fails with
    /// ``StoreError/Code/duplicateKey`` when the key is taken.
    static func insert(_ record: IdempotencyRecord, in db: Database, index: Int) throws {
        let expired = record.createdAt.timeIntervalSince1970 - idempotencyRetention
        try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE created_at < ?").execute(arguments: [expired])
        do {
            try db.cachedStatement(
                sql:
                    "INSERT INTO idempotency_keys (key, fingerprint, collection, ids, created_at) VALUES (?, ?, ?, ?, ?)"
            )
            .execute(arguments: [
                record.key, record.fingerprint, record.collection.storageKey,
                record.writtenJSON, record.createdAt.timeIntervalSince1970,
            ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.duplicateKey, "the idempotency key was used by another request", index: index)
        }
    }

    /// The record stored under `key`, unless it is older than `notBefore`.
    static func record(for key: String, notBefore: Date, in db: Database) throws -> IdempotencyRecord? {
        let statement = try db.cachedStatement(
            sql:
                "SELECT fingerprint, collection, ids, created_at FROM idempotency_keys WHERE key = ? AND created_at >= ?"
        )
        guard let row = try Row.fetchOne(statement, arguments: [key, notBefore.timeIntervalSince1970]) else {
            return nil
        }
        return IdempotencyRecord(
            key: key,
            fingerprint: row[0],
            collection: CollectionPath(storageKey: row[1]),
            written: IdempotencyRecord.written(fromJSON: row[2]),
            createdAt: Date(timeIntervalSince1970: row[3])
        )
    }
}
