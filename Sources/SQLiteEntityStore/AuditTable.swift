import EntityStore
import Foundation
import GRDB

/// Reads and writes the `audit_log` table; its `sequence` (AUTOINCREMENT) is never reused.
enum AuditTable {
    /// Appends `event` inside the caller's write transaction; its `sequence` is ignored.
    static func append(_ event: AuditEvent, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO audit_log (at, action, actor, subject, target, detail) VALUES (?, ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [
            StoredTimestamp.text(event.at), event.action, event.actor, event.subject, event.target, event.detail,
        ])
    }

    /// Events with a sequence number greater than `sequence`, oldest first, at most `limit`.
    static func events(after sequence: Int64, limit: Int, in db: Database) throws -> [AuditEvent] {
        let statement = try db.cachedStatement(
            sql: "SELECT sequence, at, action, actor, subject, target, detail FROM audit_log"
                + " WHERE sequence > ? ORDER BY sequence LIMIT ?"
        )
        return try Row.fetchAll(statement, arguments: [sequence, max(0, limit)]).map { row in
            AuditEvent(
                sequence: row[0],
                at: try AccessColumns.date(row[1] as String),
                action: row[2],
                actor: row[3],
                subject: row[4],
                target: row[5],
                detail: row[6]
            )
        }
    }
}
