import EntityStore
import Foundation
import GRDB

/// Reads and writes the `users` table. Writes run inside the caller's write transaction.
enum UserTable {
    private static let columns = "id, name, password_hash, is_admin, created_at"

    static func user(named name: String, in db: Database) throws -> UserRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM users WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map(user)
    }

    static func user(id: String, in db: Database) throws -> UserRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM users WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [id]).map(user)
    }

    /// Every user, by name (byte order).
    static func users(in db: Database) throws -> [UserRecord] {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM users ORDER BY name")
        return try Row.fetchAll(statement).map(user)
    }

    /// Inserts `user`; fails with ``StoreError/Code/duplicateKey`` when the name or id is taken.
    static func insert(_ user: UserRecord, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO users (\(columns)) VALUES (?, ?, ?, ?, ?)")
        try AccessColumns.rejectingDuplicates("a user named '\(user.name)' already exists") {
            try statement.execute(arguments: [
                user.id, user.name, user.passwordHash, user.isAdmin, StoredTimestamp.text(user.createdAt),
            ])
        }
    }

    /// Deletes the user `id` with their credentials and grants, and passes their entities to
    /// `newOwner` when given (dropping the new owner's grants on them); `false` (and nothing changed)
    /// when there is no such user.
    static func remove(id: String, transferringTo newOwner: String?, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM users WHERE id = ?").execute(arguments: [id])
        guard db.changesCount > 0 else { return false }
        try db.cachedStatement(sql: "DELETE FROM credentials WHERE user_id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM grants WHERE user_id = ?").execute(arguments: [id])
        try FeedTable.recordRemoval(ofUser: id, transferringTo: newOwner, db: db)
        if let newOwner {
            try db.cachedStatement(
                sql: """
                    DELETE FROM grants WHERE user_id = ? AND EXISTS (SELECT 1 FROM entities \
                    WHERE entities.collection = grants.collection AND entities.id = grants.entity_id \
                    AND entities.created_by = ?)
                    """
            )
            .execute(arguments: [newOwner, id])
            try db.cachedStatement(sql: "UPDATE entities SET created_by = ? WHERE created_by = ?")
                .execute(arguments: [newOwner, id])
        }
        return true
    }

    private static func user(_ row: Row) throws -> UserRecord {
        UserRecord(
            id: row[0],
            name: row[1],
            passwordHash: row[2],
            isAdmin: row[3],
            createdAt: try AccessColumns.date(row[4] as String)
        )
    }
}
