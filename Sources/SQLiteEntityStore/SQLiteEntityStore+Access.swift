import EntityModel
import EntityStore
import Foundation
import GRDB

/// Users, credentials, grants and the audit log, in the store's database.
///
/// Each audited change writes its `audit_log` row in the change's own write transaction, and only
/// when it changes something: a removal returning `false` and an insert failing with
/// ``StoreError/Code/duplicateKey`` store no event. Grants decide what a ``Query/readableBy`` query
/// matches, so every change of grants (saving, revoking, removing a user) starts a new generation of
/// the count cache; reads by id do not depend on grants, so the entity cache stays.
extension SQLiteEntityStore {
    // MARK: Users

    /// The user named `name`, or `nil`.
    public func user(named name: String) async throws(StoreError) -> UserRecord? {
        try await read { db in try UserTable.user(named: name, in: db) }
    }

    /// The user whose id is `id`, or `nil`.
    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await read { db in try UserTable.user(id: id, in: db) }
    }

    /// Every user, sorted by name (byte order of the UTF-8).
    public func users() async throws(StoreError) -> [UserRecord] {
        try await read { db in try UserTable.users(in: db) }
    }

    /// Adds a user and its audit event in one transaction; fails with
    /// ``StoreError/Code/duplicateKey`` (storing nothing) when the name or id is taken.
    public func insertUser(_ user: UserRecord, audit: AuditEvent) async throws(StoreError) {
        try await write { db in
            try UserTable.insert(user, in: db)
            try AuditTable.append(audit, in: db)
        }
    }

    /// Removes a user with their credentials and grants, passes their entities to `newOwner` when
    /// given, and stores `audit`, in one transaction; `false` (and no audit event) when there is no
    /// such user. A transfer rewrites `created_by` across every collection (a scan of the entities
    /// table: an admin's rare operation) and forgets the cached entities, whose creator it changes.
    public func removeUser(id: String, transferringTo newOwner: String?, audit: AuditEvent) async throws(StoreError)
        -> Bool
    {
        defer { if newOwner != nil { cache.evictAll() } }
        let totals = self.totals
        return try await write { db in
            guard try UserTable.remove(id: id, transferringTo: newOwner, in: db) else { return false }
            // Grants and creators change across collections: what every kept total counts may change.
            try KeptTotalsTable.dropAll(totals: totals, db: db)
            try AuditTable.append(audit, in: db)
            return true
        }
    }

    // MARK: Credentials

    /// The credential with `id`, or `nil`; expired ones too.
    public func credential(id: String) async throws(StoreError) -> CredentialRecord? {
        try await read { db in try CredentialTable.credential(id: id, in: db) }
    }

    /// The credentials of a user of one kind, oldest first.
    public func credentials(of userID: String, kind: CredentialRecord.Kind) async throws(StoreError)
        -> [CredentialRecord]
    {
        try await read { db in try CredentialTable.credentials(of: userID, kind: kind, in: db) }
    }

    /// Stores a new credential (and `audit`, if any) after dropping the user's sessions that expired
    /// before `credential.createdAt`, in one transaction; fails with ``StoreError/Code/duplicateKey``
    /// (storing nothing) when the id is taken.
    public func insertCredential(_ credential: CredentialRecord, audit: AuditEvent?) async throws(StoreError) {
        try await write { db in
            try CredentialTable.insert(credential, in: db)
            if let audit { try AuditTable.append(audit, in: db) }
        }
    }

    /// Deletes a credential and stores `audit`, if any, in one transaction; `false` (and no audit
    /// event) when there is none with `id`.
    public func removeCredential(id: String, audit: AuditEvent?) async throws(StoreError) -> Bool {
        try await write { db in
            guard try CredentialTable.remove(id: id, in: db) else { return false }
            if let audit { try AuditTable.append(audit, in: db) }
            return true
        }
    }

    // MARK: Grants

    /// The grants on one entity (sorted by user name, though callers may not rely on an order).
    public func grants(on id: String, in collection: CollectionPath) async throws(StoreError) -> [GrantRecord] {
        try await read { db in try GrantTable.grants(on: id, in: collection, db: db) }
    }

    /// The rights `userID` was granted on those of `ids` that have a grant for them.
    public func grantedRights(of userID: String, on ids: [String], in collection: CollectionPath)
        async throws(StoreError) -> [String: AccessRight]
    {
        guard !ids.isEmpty else { return [:] }
        return try await read { db in try GrantTable.rights(of: userID, on: ids, in: collection, db: db) }
    }

    /// Grants or changes a right and stores `audit`, in one transaction. A changed grant keeps its id
    /// and takes the new right, grantor and time. Returns the stored grant; fails with
    /// ``StoreError/Code/notFound`` when the entity does not exist (checked in the same write
    /// transaction, see ``GrantTable/save(_:db:)``) and with ``StoreError/Code/duplicateKey`` when
    /// another grant has `grant.id`, storing nothing and no audit event either way.
    public func saveGrant(_ grant: GrantRecord, audit: AuditEvent) async throws(StoreError) -> GrantRecord {
        let totals = self.totals
        return try await write { db in
            let adjustment = try KeptTotalsAdjustment(
                [grant.collection.storageKey: [grant.entityID]],
                totals: totals,
                db: db
            )
            let stored = try GrantTable.save(grant, db: db)
            try adjustment.apply(db: db)
            try FeedTable.recordAccess(.upsert, for: grant.userID, on: grant.entityID, in: grant.collection, db: db)
            try AuditTable.append(audit, in: db)
            return stored
        }
    }

    /// Revokes `userID`'s grant on one entity and stores `audit`, in one transaction; `false` (and
    /// no audit event) when there was none.
    public func removeGrant(on id: String, in collection: CollectionPath, from userID: String, audit: AuditEvent)
        async throws(StoreError) -> Bool
    {
        let totals = self.totals
        return try await write { db in
            let adjustment = try KeptTotalsAdjustment([collection.storageKey: [id]], totals: totals, db: db)
            guard try GrantTable.remove(on: id, in: collection, from: userID, db: db) else { return false }
            try adjustment.apply(db: db)
            try FeedTable.recordAccess(.revoke, for: userID, on: id, in: collection, db: db)
            try AuditTable.append(audit, in: db)
            return true
        }
    }

    // MARK: Audit log

    /// Appends one event on its own.
    public func appendAudit(_ event: AuditEvent) async throws(StoreError) {
        try await write { db in try AuditTable.append(event, in: db) }
    }

    /// Events with a sequence number greater than `sequence`, oldest first, at most `limit`.
    public func auditEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try await read { db in try AuditTable.events(after: sequence, limit: limit, in: db) }
    }
}
