import EntityModel
import EntityStore
import Foundation

/// An API key just created: the record, and the secret that is shown this once.
public struct IssuedKey: Sendable, Hashable {
    public let record: CredentialRecord
    /// `<id>:<secret>`, sent as `Authorization: ApiKey <id>:<secret>`.
    public let key: String
}

extension Accounts {
    /// Every user, sorted by name (admins only).
    public func users(as caller: Caller) async throws(EntityError) -> [UserRecord] {
        try requireAdmin(caller)
        return try await storeCall { () async throws(StoreError) in try await store.users() }
    }

    /// Adds a user (admins only); `password` is optional for users who sign in with API keys only.
    public func addUser(name: String, password: String?, isAdmin: Bool, as caller: Caller)
        async throws(EntityError) -> UserRecord
    {
        try requireAdmin(caller)
        try Self.validateUserName(name)
        if let password, password.isEmpty { throw EntityError(.validationFailed, "password: must not be empty") }
        let hash: String? = if let password { try await hasher.hash(password) } else { nil }
        let user = UserRecord(id: Self.makeUserID(), name: name, passwordHash: hash, isAdmin: isAdmin, createdAt: now)
        let event = AuditEvent(
            at: now,
            action: "user.add",
            actor: caller.userName,
            subject: name,
            detail: isAdmin ? Role.admin : Role.user
        )
        do {
            try await storeCall { () async throws(StoreError) in try await store.insertUser(user, audit: event) }
        } catch  where error.code == .duplicateID {
            throw EntityError(.duplicateID, "a user named '\(name)' exists already")
        }
        return user
    }

    /// Removes a user with their keys, sessions and grants (admins only).
    ///
    /// Rights follow the account, not the name: the entities the user created stay, owned by an
    /// account that no longer exists, so only admins hold C on them (a user added later under the same
    /// name is another account and gets no right on them) — unless `newOwner` names another user, to
    /// whom they pass in the same transaction. The audit event names both.
    public func removeUser(_ name: String, transferringTo newOwner: String? = nil, as caller: Caller)
        async throws(EntityError)
    {
        try requireAdmin(caller)
        try await remove(name, transferringTo: newOwner, as: caller)
    }

    /// Removes the caller's own account, with its sessions, keys and grants.
    public func removeOwnAccount(as caller: Caller) async throws(EntityError) {
        guard let name = caller.userName, caller.isAuthenticated else {
            throw EntityError(.unauthenticated, "sign in to remove your account")
        }
        try await remove(name, transferringTo: nil, as: caller)
    }

    private func remove(_ name: String, transferringTo newOwner: String?, as caller: Caller)
        async throws(EntityError)
    {
        let user = try await existingUser(name)
        var heir: UserRecord?
        if let newOwner {
            guard newOwner != name else {
                throw EntityError(.invalidRequest, "transfer_to: '\(name)' is the user being removed")
            }
            heir = try await storeCall { () async throws(StoreError) in try await store.user(named: newOwner) }
            guard heir != nil else {
                throw EntityError(.validationFailed, "transfer_to: user '\(newOwner)' does not exist")
            }
        }
        let event = AuditEvent(
            at: now,
            action: "user.remove",
            actor: caller.userName,
            subject: name,
            detail: heir.map { "entities to \($0.name)" }
        )
        let removed = try await storeCall { () async throws(StoreError) in
            try await store.removeUser(id: user.id, transferringTo: heir?.id, audit: event)
        }
        cache.remove(user: user.id)
        guard removed else { throw EntityError(.notFound, "user '\(name)' does not exist") }
    }

    /// The API keys of a user, oldest first, without secrets (admins only).
    public func apiKeys(of name: String, as caller: Caller) async throws(EntityError) -> [CredentialRecord] {
        try requireAdmin(caller)
        let user = try await existingUser(name)
        return try await storeCall { () async throws(StoreError) in
            try await store.credentials(of: user.id, kind: .apiKey)
        }
    }

    /// Creates an API key for a user (admins only); the answer holds its secret, never shown again.
    public func createAPIKey(for name: String, label: String?, as caller: Caller) async throws(EntityError)
        -> IssuedKey
    {
        try requireAdmin(caller)
        return try await issueKey(
            id: Secrets.identifier(prefix: "KEY-"),
            secret: Secrets.random(),
            for: try await existingUser(name),
            label: label,
            by: caller.userName
        )
    }

    /// Revokes an API key (admins only): requests signed with it fail from now on.
    public func revokeAPIKey(_ id: String, as caller: Caller) async throws(EntityError) {
        try requireAdmin(caller)
        let credential = try await storeCall { () async throws(StoreError) in try await store.credential(id: id) }
        guard let credential, credential.kind == .apiKey else {
            throw EntityError(.notFound, "API key '\(id)' does not exist")
        }
        let owner = try await storeCall { () async throws(StoreError) in try await store.user(id: credential.userID) }
        let event = AuditEvent(
            at: now,
            action: "key.revoke",
            actor: caller.userName,
            subject: owner?.name,
            target: id
        )
        cache.remove(credential: id)
        _ = try await storeCall { () async throws(StoreError) in try await store.removeCredential(id: id, audit: event)
        }
    }

    /// Audit events after `sequence`, oldest first (admins only).
    public func auditEvents(after sequence: Int64, limit: Int, as caller: Caller) async throws(EntityError)
        -> [AuditEvent]
    {
        try requireAdmin(caller)
        guard (1...1000).contains(limit) else {
            throw EntityError(.invalidRequest, "limit: expected 1 to 1000, found \(limit)")
        }
        return try await storeCall { () async throws(StoreError) in
            try await store.auditEvents(after: sequence, limit: limit)
        }
    }

    func issueKey(id: String, secret: String, for user: UserRecord, label: String?, by actor: String?)
        async throws(EntityError) -> IssuedKey
    {
        let record = CredentialRecord(
            id: id,
            kind: .apiKey,
            userID: user.id,
            secretHash: Secrets.hash(secret),
            label: label,
            createdAt: now
        )
        let event = AuditEvent(
            at: now,
            action: "key.create",
            actor: actor,
            subject: user.name,
            target: id,
            detail: label
        )
        try await storeCall { () async throws(StoreError) in try await store.insertCredential(record, audit: event) }
        return IssuedKey(record: record, key: "\(id):\(secret)")
    }

    /// The user named `name`; `notFound` when there is none.
    func existingUser(_ name: String) async throws(EntityError) -> UserRecord {
        guard let user = try await storeCall({ () async throws(StoreError) in try await store.user(named: name) })
        else {
            throw EntityError(.notFound, "user '\(name)' does not exist")
        }
        return user
    }

    /// A new account id: `USR-` and 32 random hex digits, never given to another account.
    static func makeUserID() -> String {
        Secrets.identifier(prefix: "USR-") + Secrets.identifier(prefix: "")
    }

    /// User names: 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
    static func validateUserName(_ name: String) throws(EntityError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || ".-_@".unicodeScalars.contains($0)
        }
        guard (1...64).contains(name.count), allowed else {
            throw EntityError(
                .invalidRequest,
                "name: expected 1 to 64 letters, digits, '.', '_', '-' or '@', found '\(name)'"
            )
        }
    }
}
