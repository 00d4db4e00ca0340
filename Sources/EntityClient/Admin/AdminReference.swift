import EntityModel
import NIOHTTP1

extension EntityClient {
    /// The administration of the server (`_admin`): users, their API keys and the audit log.
    ///
    /// Every call needs a client signed in as an admin: other users get 403 (``EntityClientError/Code/server``
    /// with ``EntityClientError/status`` 403), anonymous clients 401.
    ///
    /// ```swift
    /// let admin = try EntityClient(endpoint: "http://127.0.0.1:8080", apiKey: "ApiKey KEY-1:secret").admin
    /// try await admin.addUser(name: "bob", password: nil)
    /// let key = try await admin.createKey(for: "bob", label: "ci")
    /// print(key.authorization)   // ApiKey KEY-…:… (shown only this once)
    /// ```
    public var admin: AdminReference {
        AdminReference(client: self)
    }
}

/// The administration endpoints of a server (`_admin/…`); see ``EntityClient/admin``.
public struct AdminReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient

    // MARK: Users

    /// Every user, sorted by name.
    public func users() async throws(EntityClientError) -> [UserAccount] {
        try await send(ClientRequest(.GET, "_admin/users")).decoded([UserAccount].self)
    }

    /// Adds a user and returns the account.
    ///
    /// - Parameters:
    ///   - name: 1 to 64 letters, digits, `.`, `_`, `-` or `@`; another name is refused with 400.
    ///   - password: The password the user signs in with; `nil` for a user who uses API keys only.
    ///   - role: ``UserRole/user`` (the default) or ``UserRole/admin``.
    /// - Throws: ``EntityClientError`` with ``EntityClientError/status`` 409 (`DUPLICATE`) when the name is
    ///   taken. The request is sent once, never retried.
    @discardableResult
    public func addUser(name: String, password: String? = nil, role: UserRole = .user)
        async throws(EntityClientError) -> UserAccount
    {
        var body: [String: JSON] = ["name": .string(name), "role": .string(role.rawValue)]
        if let password { body["password"] = .string(password) }
        return try await send(ClientRequest(.POST, "_admin/users", json: .object(body))).decoded(UserAccount.self)
    }

    /// Removes a user with their keys and grants.
    ///
    /// Rights follow the account, not the name: the entities the user created stay, and only admins
    /// hold C on them (a user added later under the same name is a new account without any right on
    /// them), unless `newOwner` names a user to pass them to, in the same transaction.
    ///
    /// - Throws: ``EntityClientError/Code/notFound`` when there is no such user;
    ///   ``EntityClientError/Code/validationFailed`` when `newOwner` does not exist.
    public func removeUser(_ name: String, transferringTo newOwner: String? = nil) async throws(EntityClientError) {
        let query = newOwner.map { "transfer_to=" + PercentEncoding.queryValue($0) }
        _ = try await send(ClientRequest(.DELETE, path("_admin", "users", name), query: query))
    }

    // MARK: API keys

    /// The API keys of user `name`, oldest first (never their secrets).
    public func keys(of name: String) async throws(EntityClientError) -> [APIKey] {
        try await send(ClientRequest(.GET, path("_admin", "users", name, "keys"))).decoded([APIKey].self)
    }

    /// Creates an API key for user `name`; the answer holds its secret, which the server shows only this
    /// once.
    ///
    /// The request is sent once, never retried (a retry would make a second key).
    public func createKey(for name: String, label: String? = nil) async throws(EntityClientError) -> CreatedAPIKey {
        let body: JSON = label.map { ["label": .string($0)] } ?? [:]
        return try await send(ClientRequest(.POST, path("_admin", "users", name, "keys"), json: body))
            .decoded(CreatedAPIKey.self)
    }

    /// Revokes the API key `id`: requests made with it fail with 401 from now on.
    ///
    /// - Throws: ``EntityClientError/Code/notFound`` when there is no such key.
    public func revokeKey(_ id: String) async throws(EntityClientError) {
        _ = try await send(ClientRequest(.DELETE, path("_admin", "keys", id)))
    }

    // MARK: Audit log

    /// The audit log's events with a ``AuditEntry/sequence`` greater than `sequence`, oldest first, at most
    /// `limit` of them; pass the last sequence seen to read on.
    public func audit(after sequence: Int64 = 0, limit: Int = 100) async throws(EntityClientError) -> [AuditEntry] {
        guard sequence >= 0 else { throw .invalidArgument("the audit sequence must not be negative") }
        guard limit > 0 else { throw .invalidArgument("the audit limit must be positive") }
        let request = ClientRequest(.GET, "_admin/audit", query: "after=\(sequence)&limit=\(limit)")
        return try await send(request).decoded([AuditEntry].self)
    }

    private func send(_ request: ClientRequest) async throws(EntityClientError) -> ClientResponse {
        try await client.executor.send(request)
    }

    private func path(_ segments: String...) -> String { EntityClient.encodedPath(segments) }
}
