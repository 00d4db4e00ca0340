import EntityModel
import NIOHTTP1

extension EntityClient {
    /// A client of the server at `endpoint` that makes every request with a bearer token, such as the
    /// ``Session/token`` of a ``login(username:password:)``.
    ///
    /// - Parameters:
    ///   - endpoint: The API's base URL, as for ``init(endpoint:apiKey:configuration:)``.
    ///   - bearerToken: Sent as `Authorization: Bearer <bearerToken>`.
    ///   - configuration: Timeouts, retries, headers and paging; see ``Configuration``.
    /// - Throws: ``EntityClientError/Code/invalidArgument`` for an endpoint that is not an `http` or `https`
    ///   URL, as for ``init(endpoint:apiKey:configuration:)``.
    public init(endpoint: String, bearerToken: String, configuration: Configuration = Configuration())
        throws(EntityClientError)
    {
        try self.init(endpoint: endpoint, apiKey: "Bearer \(bearerToken)", configuration: configuration)
    }

    /// The `Authorization` header every request carries, such as `ApiKey ID:SECRET` or `Bearer <token>`;
    /// `nil` for an anonymous client.
    public var authorization: String? { executor.apiKey }

    /// A copy of this client that makes its requests as `session` (`Authorization: Bearer <token>`).
    public func signedIn(with session: Session) -> EntityClient {
        authorized(by: session.authorization)
    }

    /// A copy of this client that sends `authorization` as the `Authorization` header (such as
    /// `ApiKey ID:SECRET`), or no such header when it is `nil`.
    public func authorized(by authorization: String?) -> EntityClient {
        EntityClient(
            executor: RequestExecutor(endpoint: endpoint, apiKey: authorization, configuration: configuration)
        )
    }

    /// Signs in with a user's name and password and returns the session; the client itself is unchanged
    /// (use ``signedIn(with:)`` for one that makes requests as the session).
    ///
    /// The request is sent once, never retried.
    ///
    /// - Throws: ``EntityClientError`` with ``EntityClientError/status`` 401 (`UNAUTHORIZED`) for a wrong
    ///   name or password, and 429 (`TOO_MANY_REQUESTS`) after too many failed attempts.
    public func login(username: String, password: String) async throws(EntityClientError) -> Session {
        let body: JSON = ["username": .string(username), "password": .string(password)]
        return try await executor.send(ClientRequest(.POST, "_auth/login", json: body)).decoded(Session.self)
    }

    /// Ends the session this client makes its requests with: the server revokes its bearer token.
    ///
    /// - Throws: ``EntityClientError`` with ``EntityClientError/status`` 401 when the client sends no
    ///   valid token.
    public func logout() async throws(EntityClientError) {
        _ = try await executor.send(ClientRequest(.POST, "_auth/logout"))
    }

    /// The user this client makes its requests as.
    ///
    /// - Throws: ``EntityClientError`` with ``EntityClientError/status`` 401 for an anonymous client or an
    ///   unknown, revoked or expired credential.
    public func me() async throws(EntityClientError) -> UserIdentity {
        try await executor.send(ClientRequest(.GET, "_auth/me")).decoded(UserIdentity.self)
    }
}
