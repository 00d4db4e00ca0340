import EntityStore
import Foundation
import GRDB

/// Reads and writes the `credentials` table. Writes run inside the caller's write transaction.
enum CredentialTable {
    private static let columns = "id, kind, user_id, secret_hash, label, created_at, expires_at"

    static func credential(id: String, in db: Database) throws -> CredentialRecord? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM credentials WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [id]).map(credential)
    }

    /// The credentials of one user and kind, oldest first (ties by id).
    static func credentials(of userID: String, kind: CredentialRecord.Kind, in db: Database) throws
        -> [CredentialRecord]
    {
        let statement = try db.cachedStatement(
            sql: "SELECT \(columns) FROM credentials WHERE user_id = ? AND kind = ? ORDER BY created_at, id"
        )
        return try Row.fetchAll(statement, arguments: [userID, kind.rawValue]).map(credential)
    }

    /// Drops the user's sessions that expired before `credential.createdAt`, then inserts
    /// `credential`; fails with ``StoreError/Code/duplicateKey`` when the id is taken.
    static func insert(_ credential: CredentialRecord, in db: Database) throws {
        // Stored timestamps compare as text in time order.
        try db.cachedStatement(
            sql: "DELETE FROM credentials WHERE user_id = ? AND kind = ? AND expires_at < ?"
        )
        .execute(arguments: [
            credential.userID, CredentialRecord.Kind.session.rawValue, StoredTimestamp.text(credential.createdAt),
        ])
        let statement = try db.cachedStatement(sql: "INSERT INTO credentials (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?)")
        try AccessColumns.rejectingDuplicates("a credential with this id already exists") {
            try statement.execute(arguments: [
                credential.id, credential.kind.rawValue, credential.userID, credential.secretHash, credential.label,
                StoredTimestamp.text(credential.createdAt), credential.expiresAt.map(StoredTimestamp.text),
            ])
        }
    }

    /// Deletes the credential with `id`; `false` when there is none.
    static func remove(id: String, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM credentials WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    private static func credential(_ row: Row) throws -> CredentialRecord {
        let kindText: String = row[1]
        guard let kind = CredentialRecord.Kind(rawValue: kindText) else {
            throw StoreError(.internal, "a stored credential has an unknown kind")
        }
        return CredentialRecord(
            id: row[0],
            kind: kind,
            userID: row[2],
            secretHash: row[3],
            label: row[4],
            createdAt: try AccessColumns.date(row[5] as String),
            expiresAt: try AccessColumns.date(row[6] as String?)
        )
    }
}
