import EntityModel
import EntityStore
import Foundation

/// One user's right on an entity, as the sharing list shows it.
public struct AccessEntry: Sendable, Hashable {
    public let user: String
    /// The user's right: ``AccessRight/creator`` for the creator and admins, else the stronger of their
    /// grant and the collection's read default; `nil` for none.
    public let right: AccessRight?
    /// The grant the right comes from, if it comes from one.
    public let grantID: String?
}

extension EntityService {
    /// Every user with their right on entity `id`, sorted by right (C, D, U, r, none) then name.
    ///
    /// Only a caller holding `listing` (by default ``AccessRight/creator``) may list an existing entity
    /// (others who can read it get `forbidden`). For an id that does not exist yet, any signed-in caller
    /// gets every user without a right — and so does a caller who cannot read the entity, for whom it
    /// does not exist.
    public func accessList(
        on id: String,
        in collection: CollectionPath,
        as caller: Caller,
        listing: AccessRight = .creator
    ) async throws(EntityError) -> [AccessEntry] {
        let declaration = try collectionSchema(collection)
        try requireSignedIn(caller)
        try await requireParent(of: collection, as: caller)
        let users = try await storeCall { () async throws(StoreError) in try await store.users() }
        let nobody = users.map { AccessEntry(user: $0.name, right: nil, grantID: nil) }
        guard let entity = try await fetch(id, in: collection) else { return nobody }
        let policy = policy(for: caller, in: declaration)
        guard let callerRight = try await right(of: caller, on: entity, policy: policy) else { return nobody }
        try policy.require(listing, callerRight, on: entity)
        let grants = try await storeCall { () async throws(StoreError) in try await store.grants(on: id, in: collection)
        }
        let grantsByUser = Dictionary(grants.map { ($0.userID, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = users.map { user in
            let grant = grantsByUser[user.id]
            let policy = AccessPolicy(caller: .user(user, channel: caller.channel), access: declaration.access)
            let right = policy.right(on: entity, granted: grant?.right)
            return AccessEntry(user: user.name, right: right, grantID: right == grant?.right ? grant?.id : nil)
        }
        return entries.sorted { left, right in
            let leftStrength = left.right?.strength ?? 0
            let rightStrength = right.right?.strength ?? 0
            return leftStrength != rightStrength ? leftStrength > rightStrength : left.user < right.user
        }
    }

    /// Grants `right` on entity `id` to the user named `user`, or changes their grant; returns the
    /// stored grant (which names the account by its id).
    /// Needs `sharing` on the entity (by default ``AccessRight/creator``; oaio lets ``AccessRight/delete``
    /// share too); ``AccessRight/creator`` itself cannot be granted.
    public func grant(
        _ right: AccessRight,
        to user: String,
        on id: String,
        in collection: CollectionPath,
        as caller: Caller,
        sharing: AccessRight = .creator
    ) async throws(EntityError) -> GrantRecord {
        let declaration = try collectionSchema(collection)
        try requireSignedIn(caller)
        guard right != .creator else {
            throw EntityError(.invalidRequest, "right: C belongs to the creator alone; grant D, U or r")
        }
        let entity = try await sharedEntity(id, in: collection, as: caller, declaration: declaration, sharing: sharing)
        let grantee = try await accounts.existingUser(user)
        guard entity.createdBy != grantee.id else {
            throw EntityError(.invalidRequest, "'\(user)' created \(collection.schemaKey) '\(id)' and holds C on it")
        }
        let now = accounts.now
        let grant = GrantRecord(
            id: ids.makeGrantID(),
            collection: collection,
            entityID: id,
            userID: grantee.id,
            right: right,
            grantedBy: caller.userName,
            grantedAt: now
        )
        let event = AuditEvent(
            at: now,
            action: "grant",
            actor: caller.userName,
            subject: user,
            target: "\(collection.rawValue)/\(id)",
            detail: right.rawValue
        )
        do {
            return try await store.saveGrant(grant, audit: event)
        } catch  where error.code == .notFound {
            // Deleted since `sharedEntity` read it: the store refuses a grant on a missing entity.
            throw notFound(id, in: collection)
        } catch {
            throw map(error)
        }
    }

    /// Revokes the grant of the user named `user` on entity `id`; `notFound` when they hold none. Needs
    /// `sharing` (by default ``AccessRight/creator``).
    public func revokeGrant(
        from user: String,
        on id: String,
        in collection: CollectionPath,
        as caller: Caller,
        sharing: AccessRight = .creator
    ) async throws(EntityError) {
        let declaration = try collectionSchema(collection)
        try requireSignedIn(caller)
        _ = try await sharedEntity(id, in: collection, as: caller, declaration: declaration, sharing: sharing)
        let noGrant = EntityError(.notFound, "'\(user)' holds no grant on \(collection.schemaKey) '\(id)'")
        guard let grantee = try await storeCall({ () async throws(StoreError) in try await store.user(named: user) })
        else { throw noGrant }
        let event = AuditEvent(
            at: accounts.now,
            action: "revoke",
            actor: caller.userName,
            subject: user,
            target: "\(collection.rawValue)/\(id)"
        )
        let removed = try await storeCall { () async throws(StoreError) in
            try await store.removeGrant(on: id, in: collection, from: grantee.id, audit: event)
        }
        guard removed else { throw noGrant }
    }

    /// The existing entity `id`, when the caller may share it.
    private func sharedEntity(
        _ id: String,
        in collection: CollectionPath,
        as caller: Caller,
        declaration: CollectionSchema,
        sharing: AccessRight
    ) async throws(EntityError) -> Entity {
        try await requireParent(of: collection, as: caller)
        guard let entity = try await fetch(id, in: collection) else { throw notFound(id, in: collection) }
        let policy = policy(for: caller, in: declaration)
        try policy.require(sharing, try await right(of: caller, on: entity, policy: policy), on: entity)
        return entity
    }

    private func requireSignedIn(_ caller: Caller) throws(EntityError) {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in to share entities") }
    }

    /// Runs a store call, mapping its error.
    func storeCall<Value>(_ body: () async throws(StoreError) -> Value) async throws(EntityError) -> Value {
        do { return try await body() } catch { throw map(error) }
    }
}
