import EntityModel
import NIOHTTP1

/// An action on an entity (`products/PRD-1/endsale`) or on a collection (`products/discontinue`).
///
/// ```swift
/// let ended = try await client["products"]["PRD-1"].action("endsale").post()
/// ```
public struct ActionReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient
    /// The path segments below the endpoint.
    public let path: [String]

    /// Runs the action with `POST`; returns its JSON answer, or `nil` when it has none.
    ///
    /// A `POST` is sent once, unless it carries an `idempotencyKey`.
    @discardableResult
    public func post(_ payload: JSON? = nil, idempotencyKey: String? = nil) async throws(EntityClientError) -> JSON? {
        try await send(.POST, payload, idempotencyKey: idempotencyKey)
    }

    /// Sends `GET` to the action.
    @discardableResult
    public func get() async throws(EntityClientError) -> JSON? {
        try await send(.GET, nil)
    }

    /// Sends `PUT` to the action.
    @discardableResult
    public func put(_ payload: JSON? = nil) async throws(EntityClientError) -> JSON? {
        try await send(.PUT, payload)
    }

    /// Sends `DELETE` to the action.
    @discardableResult
    public func delete() async throws(EntityClientError) -> JSON? {
        try await send(.DELETE, nil)
    }

    /// Runs the action with `method` and returns its JSON answer.
    public func send(_ method: HTTPMethod, _ payload: JSON?, idempotencyKey: String? = nil)
        async throws(EntityClientError) -> JSON?
    {
        let path = EntityClient.encodedPath(path)
        var request =
            if let payload { ClientRequest(method, path, json: payload) } else { ClientRequest(method, path) }
        request.idempotencyKey = idempotencyKey
        return try await client.executor.send(request).json()
    }
}
