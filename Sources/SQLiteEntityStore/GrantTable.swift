import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes the `grants` table, keyed by (collection storage key, entity id, user id).
/// Writes run inside the caller's write transaction.
enum GrantTable {
    private static let columns = "id, collection, entity_id, user_id, access_right, granted_by, granted_at"

    /// The grants on one entity, by user id.
    static func grants(on id: String, in collection: CollectionPath, db: Database) throws -> [GrantRecord] {
        let statement = try db.cachedStatement(
            sql: "SELECT \(columns) FROM grants WHERE collection = ? AND entity_id = ? ORDER BY user_id"
        )
        return try Row.fetchAll(statement, arguments: [collection.storageKey, id]).map(grant)
    }

    /// The rights of `userID` on those of `ids` that have a grant for them. The ids travel as one
    /// JSON array argument, so any number of them takes one cached statement and primary-key lookups.
    static func rights(of userID: String, on ids: [String], in collection: CollectionPath, db: Database) throws
        -> [String: AccessRight]
    {
        guard !ids.isEmpty else { return [:] }
        let statement = try db.cachedStatement(
            sql: "SELECT entity_id, access_right FROM grants WHERE collection = ? AND user_id = ?"
                + " AND entity_id IN (SELECT value FROM json_each(?))"
        )
        let list = JSON.array(ids.map(JSON.string)).serialized()
        var rights: [String: AccessRight] = [:]
        for row in try Row.fetchAll(statement, arguments: [collection.storageKey, userID, list]) {
            rights[row[0]] = try right(row[1])
        }
        return rights
    }

    /// Inserts `grant`, or changes the right, grantor and time of the user's grant on that entity
    /// (keeping its id); returns the stored grant. Fails with ``StoreError/Code/notFound`` (writing
    /// nothing) when the entity does not exist, and with ``StoreError/Code/duplicateKey`` when a grant
    /// on another entity or user has the id.
    ///
    /// The check and the write run in the caller's write transaction, and SQLite has one writer: no
    /// delete of the entity can commit between them, so a grant never outlives its entity (the delete
    /// either ran before and this fails, or runs after and deletes the grant with the entity).
    static func save(_ grant: GrantRecord, db: Database) throws -> GrantRecord {
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM entities WHERE collection = ? AND id = ?")
        guard try Bool.fetchOne(exists, arguments: [grant.collection.storageKey, grant.entityID]) != nil else {
            throw StoreError(.notFound, "'\(grant.entityID)' does not exist in '\(grant.collection)'")
        }
        let statement = try db.cachedStatement(
            sql: "INSERT INTO grants (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (collection, entity_id, user_id) DO UPDATE SET access_right = excluded.access_right,"
                + " granted_by = excluded.granted_by, granted_at = excluded.granted_at RETURNING \(columns)"
        )
        let arguments: StatementArguments = [
            grant.id, grant.collection.storageKey, grant.entityID, grant.userID, grant.right.rawValue,
            grant.grantedBy, StoredTimestamp.text(grant.grantedAt),
        ]
        let row = try AccessColumns.rejectingDuplicates("a grant with id '\(grant.id)' already exists") {
            try Row.fetchOne(statement, arguments: arguments)
        }
        guard let row else { throw StoreError(.internal, "saving a grant returned no row") }
        return try self.grant(row)
    }

    /// Deletes `userID`'s grant on one entity; `false` when there was none.
    static func remove(on id: String, in collection: CollectionPath, from userID: String, db: Database) throws
        -> Bool
    {
        try db.cachedStatement(sql: "DELETE FROM grants WHERE collection = ? AND entity_id = ? AND user_id = ?")
            .execute(arguments: [collection.storageKey, id, userID])
        return db.changesCount > 0
    }

    /// Deletes every grant on one entity: part of the write that deletes it.
    static func removeAll(on id: String, inStorageKey collection: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM grants WHERE collection = ? AND entity_id = ?")
            .execute(arguments: [collection, id])
    }

    private static func grant(_ row: Row) throws -> GrantRecord {
        GrantRecord(
            id: row[0],
            collection: CollectionPath(storageKey: row[1]),
            entityID: row[2],
            userID: row[3],
            right: try right(row[4]),
            grantedBy: row[5],
            grantedAt: try AccessColumns.date(row[6] as String)
        )
    }

    private static func right(_ code: String) throws -> AccessRight {
        guard let right = AccessRight(rawValue: code) else {
            throw StoreError(.internal, "a stored grant has an unknown right")
        }
        return right
    }
}
