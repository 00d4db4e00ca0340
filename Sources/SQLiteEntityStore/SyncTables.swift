import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes `sync_receipts` (one answer per pushed mutation) and `sync_conflicts`, and prunes
/// what `--sync-retention` lets go. Writes run inside the caller's write transaction.
enum SyncTables {
    /// Stores `records`' receipts and conflicts and removes the resolved conflicts; `index` is the
    /// position error reports give (after the writes).
    static func store(_ records: WriteRecords, index: Int, db: Database) throws {
        let receipt = try db.cachedStatement(
            sql: "INSERT INTO sync_receipts (user_id, device, mid, fingerprint, result, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)"
        )
        for item in records.receipts {
            do {
                try receipt.execute(arguments: [
                    item.userID, item.device, item.mutationID, item.fingerprint, item.result,
                    item.createdAt.timeIntervalSince1970,
                ])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.duplicateKey, "mutation '\(item.mutationID)' was pushed meanwhile", index: index)
            }
        }
        let conflict = try db.cachedStatement(
            sql: "INSERT INTO sync_conflicts (id, collection, entity_id, key, reason, base, server, client,"
                + " user_id, device, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for item in records.conflicts {
            try conflict.execute(arguments: [
                item.id, item.collection.storageKey, item.entityID, item.key, item.reason.rawValue,
                item.base?.serialized(), item.server?.serialized(), item.client?.serialized(),
                item.userID, item.device, item.createdAt.timeIntervalSince1970,
            ])
        }
        let resolve = try db.cachedStatement(sql: "DELETE FROM sync_conflicts WHERE id = ?")
        for id in records.resolvedConflicts {
            try resolve.execute(arguments: [id])
            guard db.changesCount == 1 else {
                throw StoreError(.notFound, "conflict '\(id)' was resolved meanwhile", index: index)
            }
        }
    }

    static func receipts(userID: String, device: String, mutationIDs: [String], db: Database) throws
        -> [SyncReceipt]
    {
        var found: [SyncReceipt] = []
        // Chunks keep every statement within SQLite's limit on bound values.
        for start in stride(from: 0, to: mutationIDs.count, by: 500) {
            let chunk = Array(mutationIDs[start..<min(start + 500, mutationIDs.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT mid, fingerprint, result, created_at FROM sync_receipts"
                        + " WHERE user_id = ? AND device = ? AND mid IN (\(placeholders))"
                ),
                arguments: StatementArguments([userID, device] + chunk)
            )
            for row in rows {
                found.append(
                    SyncReceipt(
                        userID: userID,
                        device: device,
                        mutationID: row[0],
                        fingerprint: row[1],
                        result: row[2],
                        createdAt: Date(timeIntervalSince1970: row[3])
                    )
                )
            }
        }
        return found
    }

    static func conflicts(after id: String?, limit: Int, db: Database) throws -> [SyncConflict] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(columns) FROM sync_conflicts WHERE id > ? ORDER BY id LIMIT ?"),
            arguments: [id ?? "", limit]
        ).map(conflict)
    }

    static func conflict(_ id: String, db: Database) throws -> SyncConflict? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(columns) FROM sync_conflicts WHERE id = ?"),
            arguments: [id]
        ).map(conflict)
    }

    /// Drops receipts older than `date`, and the feed's deletions and revocations logged before it;
    /// raises the horizon to the last change logged before `date`.
    static func prune(before date: Date, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM sync_receipts WHERE created_at < ?").execute(arguments: [
            date.timeIntervalSince1970
        ])
        // Sequences grow with time: the newest change older than `date` is found from the end.
        guard
            let last = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT sequence FROM changes WHERE at < ? ORDER BY sequence DESC LIMIT 1"),
                arguments: [StoredTimestamp.text(date)]
            ), last > (try horizon(db))
        else { return }
        try db.cachedStatement(sql: "DELETE FROM sync_feed WHERE op <> 'upsert' AND sequence <= ?").execute(
            arguments: [last]
        )
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('sync_horizon', ?)")
            .execute(arguments: [String(last)])
    }

    static func horizon(_ db: Database) throws -> Int64 {
        try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'sync_horizon'").flatMap {
            Int64($0)
        } ?? 0
    }

    private static let columns =
        "id, collection, entity_id, key, reason, base, server, client, user_id, device, created_at"

    private static func conflict(_ row: Row) throws -> SyncConflict {
        func json(_ text: String?) throws -> JSON? { try text.map { try JSON(parsing: $0) } }
        return SyncConflict(
            id: row[0],
            collection: CollectionPath(storageKey: row[1]),
            entityID: row[2],
            key: row[3],
            reason: SyncConflict.Reason(rawValue: row[4]) ?? .changed,
            base: try json(row[5]),
            server: try json(row[6]),
            client: try json(row[7]),
            userID: row[8],
            device: row[9],
            createdAt: Date(timeIntervalSince1970: row[10])
        )
    }
}
