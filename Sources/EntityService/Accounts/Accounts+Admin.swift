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
        let user = UserRecord(name: name, passwordHash: hash, isAdmin: isAdmin, createdAt: now)
        let event = AuditEvent(
            at: now,
            action: "user.add",
            actor: caller.userID,
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

    /// Removes a user with their keys, sessions and grants (admins only). Entities they created stay.
    public func removeUser(_ name: String, as caller: Caller) async throws(EntityError) {
        try requireAdmin(caller)
        let event = AuditEvent(at: now, action: "user.remove", actor: caller.userID, subject: name)
        let removed = try await storeCall { () async throws(StoreError) in
            try await store.removeUser(named: name, audit: event)
        }
        cache.remove(user: name)
        guard removed else { throw EntityError(.notFound, "user '\(name)' does not exist") }
    }

    /// The API keys of a user, oldest first, without secrets (admins only).
    public func apiKeys(of name: String, as caller: Caller) async throws(EntityError) -> [CredentialRecord] {
        try requireAdmin(caller)
        try await requireUser(name)
        return try await storeCall { () async throws(StoreError) in try await store.credentials(of: name, kind: .apiKey)
        }
    }

    /// Creates an API key for a user (admins only); the answer holds its secret, never shown again.
    public func createAPIKey(for name: String, label: String?, as caller: Caller) async throws(EntityError)
        -> IssuedKey
    {
        try requireAdmin(caller)
        try await requireUser(name)
        return try await issueKey(
            id: Secrets.identifier(prefix: "KEY-"),
            secret: Secrets.random(),
            for: name,
            label: label,
            by: caller.userID
        )
    }

    /// Revokes an API key (admins only): requests signed with it fail from now on.
    public func revokeAPIKey(_ id: String, as caller: Caller) async throws(EntityError) {
        try requireAdmin(caller)
        let credential = try await storeCall { () async throws(StoreError) in try await store.credential(id: id) }
        guard let credential, credential.kind == .apiKey else {
            throw EntityError(.notFound, "API key '\(id)' does not exist")
        }
        let event = AuditEvent(
            at: now,
            action: "key.revoke",
            actor: caller.userID,
            subject: credential.userName,
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

    func issueKey(id: String, secret: String, for name: String, label: String?, by actor: String?)
        async throws(EntityError) -> IssuedKey
    {
        let record = CredentialRecord(
            id: id,
            kind: .apiKey,
            userName: name,
            secretHash: Secrets.hash(secret),
            label: label,
            createdAt: now
        )
        let event = AuditEvent(at: now, action: "key.create", actor: actor, subject: name, target: id, detail: label)
        try await storeCall { () async throws(StoreError) in try await store.insertCredential(record, audit: event) }
        return IssuedKey(record: record, key: "\(id):\(secret)")
    }

    private func requireUser(_ name: String) async throws(EntityError) {
        guard try await storeCall({ () async throws(StoreError) in try await store.user(named: name) }) != nil else {
            throw EntityError(.notFound, "user '\(name)' does not exist")
        }
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
