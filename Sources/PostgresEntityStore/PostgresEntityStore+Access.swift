import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// ``AccessStore`` on PostgreSQL: the tables of ``AccessTables``.
///
/// Each audited change locks the audit log, makes the change and appends its event in one
/// transaction, so the last audit sequence number a snapshot sees names every grant it sees: the
/// cache of totals keys totals of ``EntityQuery/Query/readableBy`` queries by it.
extension PostgresEntityStore {
    // MARK: Users

    /// The user named `name`, or `nil`.
    public func user(named name: String) async throws(StoreError) -> UserRecord? {
        guard !AccessTables.isUnstorable(name) else { return nil }
        try await ready()
        let rows = try await rows("SELECT \(unescaped: AccessTables.userColumns) FROM users WHERE name = \(name)")
        return try Self.decode(rows, AccessTables.user).first
    }

    /// The user whose id is `id`, or `nil`.
    public func user(id: String) async throws(StoreError) -> UserRecord? {
        guard !AccessTables.isUnstorable(id) else { return nil }
        try await ready()
        let rows = try await rows("SELECT \(unescaped: AccessTables.userColumns) FROM users WHERE id = \(id)")
        return try Self.decode(rows, AccessTables.user).first
    }

    /// Every user, sorted by name (by Unicode code points).
    public func users() async throws(StoreError) -> [UserRecord] {
        try await ready()
        let rows = try await rows("SELECT \(unescaped: AccessTables.userColumns) FROM users ORDER BY name")
        return try Self.decode(rows, AccessTables.user)
    }

    /// Adds a user with its audit event; fails with ``StoreError/Code/duplicateKey`` when the name or id is taken.
    public func insertUser(_ user: UserRecord, audit: AuditEvent) async throws(StoreError) {
        try await ready()
        let logger = self.logger
        try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                do {
                    try await connection.query(
                        """
                        INSERT INTO users (id, name, password_hash, is_admin, created_at) \
                        VALUES (\(user.id), \(user.name), \(user.passwordHash), \(user.isAdmin), \
                        \(AccessTables.stored(user.createdAt)))
                        """,
                        logger: logger
                    )
                } catch  where StoreError.isUniqueViolation(error) {
                    throw StoreError(.duplicateKey, "a user named '\(user.name)' already exists")
                }
                return ((), true)
            }
        }
    }

    /// Removes a user with their credentials and grants, passes their entities to `newOwner` when
    /// given (dropping the new owner's grants on them), and appends `audit`, in one transaction;
    /// `false` (and no audit event) when there is no such user.
    ///
    /// Also locks the change log (after the audit log, as no other transaction orders them): entity
    /// deletes remove grants too, and two transactions deleting overlapping grants must not deadlock;
    /// and no entity write runs while a transfer rewrites `created_by` (a scan of the entities table:
    /// an admin's rare operation). It drops every kept total (``KeptTotalStatements``).
    public func removeUser(id: String, transferringTo newOwner: String?, audit: AuditEvent) async throws(StoreError)
        -> Bool
    {
        guard !AccessTables.isUnstorable(id), !AccessTables.isUnstorable(newOwner ?? "") else { return false }
        try await ready()
        let logger = self.logger
        return try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                try await self.lockChangesKeepingTotals(connection, logger: logger)
                let removed = try await connection.query(
                    "DELETE FROM users WHERE id = \(id) RETURNING id",
                    logger: logger
                ).collect()
                guard !removed.isEmpty else { return (false, false) }
                // Grants and creators change across collections: what every kept total counts may change.
                try await KeptTotalStatements.dropAll(self.totals, on: connection, logger: logger)
                try await connection.query("DELETE FROM credentials WHERE user_id = \(id)", logger: logger)
                try await connection.query("DELETE FROM grants WHERE user_id = \(id)", logger: logger)
                try await FeedStatements.recordRemoval(
                    ofUser: id,
                    transferringTo: newOwner,
                    on: connection,
                    logger: logger
                )
                if let newOwner {
                    try await connection.query(
                        """
                        DELETE FROM grants USING entities WHERE grants.user_id = \(newOwner) \
                        AND entities.collection = grants.collection AND entities.id = grants.entity_id \
                        AND entities.created_by = \(id)
                        """,
                        logger: logger
                    )
                    try await connection.query(
                        "UPDATE entities SET created_by = \(newOwner) WHERE created_by = \(id)",
                        logger: logger
                    )
                }
                return (true, true)
            }
        }
    }

    // MARK: Credentials

    /// The credential with `id`, or `nil` (expired ones too).
    public func credential(id: String) async throws(StoreError) -> CredentialRecord? {
        guard !AccessTables.isUnstorable(id) else { return nil }
        try await ready()
        let rows = try await rows(
            "SELECT \(unescaped: AccessTables.credentialColumns) FROM credentials WHERE id = \(id)"
        )
        return try Self.decode(rows, AccessTables.credential).first
    }

    /// The credentials of a user of one kind, oldest first.
    public func credentials(of userID: String, kind: CredentialRecord.Kind) async throws(StoreError)
        -> [CredentialRecord]
    {
        guard !AccessTables.isUnstorable(userID) else { return [] }
        try await ready()
        let rows = try await rows(
            """
            SELECT \(unescaped: AccessTables.credentialColumns) FROM credentials \
            WHERE user_id = \(userID) AND kind = \(kind.rawValue) ORDER BY created_at, id
            """
        )
        return try Self.decode(rows, AccessTables.credential)
    }

    /// Stores a new credential, drops the user's session tokens that expired before
    /// `credential.createdAt` and appends `audit` if given, in one transaction; fails with
    /// ``StoreError/Code/duplicateKey`` when the id is taken.
    public func insertCredential(_ credential: CredentialRecord, audit: AuditEvent?) async throws(StoreError) {
        try await ready()
        let logger = self.logger
        try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                let createdAt = AccessTables.stored(credential.createdAt)
                try await connection.query(
                    """
                    DELETE FROM credentials WHERE user_id = \(credential.userID) \
                    AND kind = \(CredentialRecord.Kind.session.rawValue) AND expires_at < \(createdAt)
                    """,
                    logger: logger
                )
                do {
                    try await connection.query(
                        """
                        INSERT INTO credentials (id, kind, user_id, secret_hash, label, created_at, expires_at) \
                        VALUES (\(credential.id), \(credential.kind.rawValue), \(credential.userID), \
                        \(credential.secretHash), \(credential.label), \(createdAt), \
                        \(credential.expiresAt.map(AccessTables.stored)))
                        """,
                        logger: logger
                    )
                } catch  where StoreError.isUniqueViolation(error) {
                    throw StoreError(.duplicateKey, "a credential with this id already exists")
                }
                return ((), true)
            }
        }
    }

    /// Deletes a credential and appends `audit` if given, in one transaction; `false` (and no audit
    /// event) when there is none with `id`.
    public func removeCredential(id: String, audit: AuditEvent?) async throws(StoreError) -> Bool {
        guard !AccessTables.isUnstorable(id) else { return false }
        try await ready()
        let logger = self.logger
        return try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                let removed = try await connection.query(
                    "DELETE FROM credentials WHERE id = \(id) RETURNING id",
                    logger: logger
                ).collect()
                return (!removed.isEmpty, !removed.isEmpty)
            }
        }
    }

    // MARK: Grants

    /// The grants on one entity, in no particular order.
    public func grants(on id: String, in collection: CollectionPath) async throws(StoreError) -> [GrantRecord] {
        guard !AccessTables.isUnstorable(id) else { return [] }
        try await ready()
        let rows = try await rows(
            """
            SELECT \(unescaped: AccessTables.grantColumns) FROM grants \
            WHERE collection = \(collection.storageKey) AND entity_id = \(id)
            """
        )
        return try Self.decode(rows, AccessTables.grant)
    }

    /// The rights the user `userID` was granted on those of `ids` that have a grant for them (one query).
    public func grantedRights(of userID: String, on ids: [String], in collection: CollectionPath)
        async throws(StoreError) -> [String: AccessRight]
    {
        let ids = ids.filter { !AccessTables.isUnstorable($0) }
        guard !ids.isEmpty, !AccessTables.isUnstorable(userID) else { return [:] }
        try await ready()
        let rows = try await rows(
            """
            SELECT found.* FROM unnest(\(KeyedLookup.repeated(userID, count: ids.count))::text[], \
            \(KeyedLookup.repeated(collection.storageKey, count: ids.count))::text[], \(ids)::text[]) \
            AS wanted(user_id, collection, entity_id) \(unescaped: KeyedLookup.probe("grants",
                selecting: "id, entity_id, right_code",
                where: "user_id = wanted.user_id AND collection = wanted.collection AND entity_id = wanted.entity_id",
                as: "found"))
            """
        )
        var rights: [String: AccessRight] = [:]
        do {
            for row in rows {
                let (grant, entityID, code) = try row.decode((String, String, String).self)
                rights[entityID] = try AccessTables.right(code, grant: grant)
            }
        } catch {
            throw StoreError(postgres: error)
        }
        return rights
    }

    /// Grants or changes a right (one grant per user and entity; a changed grant keeps its id) and
    /// appends `audit`, in one transaction. Returns the stored grant; fails with
    /// ``StoreError/Code/notFound`` when the entity does not exist and with
    /// ``StoreError/Code/duplicateKey`` when another grant has the id of a new one, storing nothing
    /// and no audit event either way.
    ///
    /// A plain existence check would race with a delete under READ COMMITTED (both commit, the grant
    /// outlives the entity), so the entity row is locked `FOR KEY SHARE` before the grant is written
    /// (``AccessTables/lockEntity(of:on:logger:)``). A delete takes `FOR UPDATE` on the row, which
    /// conflicts with it; the two orders are:
    /// - the lock comes first: the delete waits until this transaction committed, then deletes the row
    ///   and, in a later statement with a later snapshot, the grants on it, this one included
    ///   (``WriteRun``'s deletes);
    /// - the delete comes first: the lock waits until the deleting transaction ends; if it commits, the
    ///   row is gone and the locking read returns none (READ COMMITTED skips a row deleted by a
    ///   transaction it waited for), so this fails with `notFound` before writing anything; if it rolls
    ///   back, the lock is taken and the grant saved.
    ///
    /// (An entity deleted and inserted again under the same id by one transaction counts as gone: the
    /// new row is not in the locking read's snapshot, and the grant was meant for the old entity.)
    ///
    /// Lock order: the audit log (``AccessTables/audited(_:on:logger:_:)``), then the entity row,
    /// then the grant row. Entity writes take the change log, then entity rows, then the grant rows of
    /// entities whose rows they hold; they never take the audit log, and never wait for a grant row
    /// this transaction holds (it writes grants only on the entity whose row it has locked, which no
    /// write can delete meanwhile). `removeUser` takes the audit log first too. So no cycle of waits
    /// appears. `FOR KEY SHARE` rather than `FOR UPDATE` lets updates of the entity (`FOR NO KEY
    /// UPDATE`: they never change its key) run meanwhile.
    public func saveGrant(_ grant: GrantRecord, audit: AuditEvent) async throws(StoreError) -> GrantRecord {
        let missing = StoreError(.notFound, "'\(grant.entityID)' does not exist in '\(grant.collection)'")
        guard !AccessTables.isUnstorable(grant.entityID), !AccessTables.isUnstorable(grant.collection.storageKey)
        else { throw missing }
        try await ready()
        let logger = self.logger
        return try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                // The change log's lock before the entity's: the order of every entity write.
                try await self.lockChangesKeepingTotals(connection, logger: logger)
                guard try await AccessTables.lockEntity(of: grant, on: connection, logger: logger) else {
                    throw missing
                }
                let adjustment = try await KeptTotalsAdjustment(
                    [grant.collection.storageKey: [grant.entityID]],
                    totals: self.totals,
                    on: connection,
                    logger: logger
                )
                let rows: [PostgresRow]
                do {
                    rows = try await connection.query(AccessTables.saveGrant(grant), logger: logger).collect()
                } catch  where StoreError.isUniqueViolation(error) {
                    throw StoreError(.duplicateKey, "a grant with the id '\(grant.id)' already exists")
                }
                guard let row = rows.first else { throw StoreError(.internal, "the saved grant was not returned") }
                try await adjustment.apply(on: connection, logger: logger)
                try await FeedStatements.recordAccess(
                    .upsert,
                    for: grant.userID,
                    on: grant.entityID,
                    in: grant.collection,
                    connection: connection,
                    logger: logger
                )
                return (try AccessTables.grant(row), true)
            }
        }
    }

    /// Revokes the grant of user `userID` on one entity and appends `audit`, in one transaction; `false` (and
    /// no audit event) when there was none.
    public func removeGrant(
        on id: String,
        in collection: CollectionPath,
        from userID: String,
        audit: AuditEvent
    ) async throws(StoreError) -> Bool {
        guard !AccessTables.isUnstorable(id), !AccessTables.isUnstorable(userID) else { return false }
        try await ready()
        let logger = self.logger
        return try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(audit, on: connection, logger: logger) {
                try await self.lockChangesKeepingTotals(connection, logger: logger)
                let adjustment = try await KeptTotalsAdjustment(
                    [collection.storageKey: [id]],
                    totals: self.totals,
                    on: connection,
                    logger: logger
                )
                let removed = try await connection.query(
                    """
                    DELETE FROM grants WHERE collection = \(collection.storageKey) AND entity_id = \(id) \
                    AND user_id = \(userID) RETURNING id
                    """,
                    logger: logger
                ).collect()
                if !removed.isEmpty {
                    try await adjustment.apply(on: connection, logger: logger)
                    try await FeedStatements.recordAccess(
                        .revoke,
                        for: userID,
                        on: id,
                        in: collection,
                        connection: connection,
                        logger: logger
                    )
                }
                return (!removed.isEmpty, !removed.isEmpty)
            }
        }
    }

    // MARK: Audit log

    /// Appends one event on its own, numbered one past the last.
    public func appendAudit(_ event: AuditEvent) async throws(StoreError) {
        try await ready()
        let logger = self.logger
        try await transaction(begin: "BEGIN") { connection in
            try await AccessTables.audited(event, on: connection, logger: logger) { ((), true) }
        }
    }

    /// Events with a sequence number greater than `sequence`, oldest first, at most `limit`.
    public func auditEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await ready()
        let rows = try await rows(
            """
            SELECT \(unescaped: AccessTables.auditColumns) FROM audit_log \
            WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(max(0, limit)))
            """
        )
        return try Self.decode(rows, AccessTables.auditEvent)
    }

    // MARK: Decoding

    private static func decode<T>(_ rows: [PostgresRow], _ decode: (PostgresRow) throws -> T) throws(StoreError)
        -> [T]
    {
        do {
            return try rows.map(decode)
        } catch {
            throw StoreError(postgres: error)
        }
    }
}
