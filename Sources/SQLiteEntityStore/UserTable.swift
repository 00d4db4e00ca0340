import EntityStore
import Foundation
import GRDB

/// Reads and writes the `users` table. Writes run inside the caller's write transaction.
enum UserTable {
    private static let columns = "name, password_hash, is_admin, created_at"

    static func user(named name: String, in db: Database) throws -> UserRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM users WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map(user)
    }

    /// Every user, by name (byte order).
    static func users(in db: Database) throws -> [UserRecord] {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM users ORDER BY name")
        return try Row.fetchAll(statement).map(user)
    }

    /// Inserts `user`; fails with ``StoreError/Code/duplicateKey`` when the name is taken.
    static func insert(_ user: UserRecord, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO users (\(columns)) VALUES (?, ?, ?, ?)")
        try AccessColumns.rejectingDuplicates("a user named '\(user.name)' already exists") {
            try statement.execute(arguments: [
                user.name, user.passwordHash, user.isAdmin, StoredTimestamp.text(user.createdAt),
            ])
        }
    }

    /// Deletes the user with their credentials and grants; `false` (and nothing deleted) when there
    /// is no such user.
    static func remove(named name: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM users WHERE name = ?").execute(arguments: [name])
        guard db.changesCount > 0 else { return false }
        try db.cachedStatement(sql: "DELETE FROM credentials WHERE user_name = ?").execute(arguments: [name])
        try db.cachedStatement(sql: "DELETE FROM grants WHERE user_name = ?").execute(arguments: [name])
        return true
    }

    private static func user(_ row: Row) throws -> UserRecord {
        UserRecord(
            name: row[0],
            passwordHash: row[1],
            isAdmin: row[2],
            createdAt: try AccessColumns.date(row[3] as String)
        )
    }
}
