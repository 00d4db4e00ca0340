import EntityModel
import Foundation
import NIOHTTP1

/// An async client of an EntityHub server's REST API (the Connect wire protocol).
///
/// Paths are built fluently, as with the Python Connect client, and every call is `async throws`:
///
/// ```swift
/// let client = try EntityClient(endpoint: "http://127.0.0.1:8080", apiKey: "ApiKey SU-1:secret")
/// let products = client.collection("products")
///
/// let lamp = try await products.create(["name": "Lamp", "price": 25])
/// for try await product in products.filter(R.price > 10).order(by: "name") {
///     print(product["name"] ?? nil)
/// }
/// let environments = client.namespace("devops").collection("services")["SRVC-1"].collection("environments")
/// ```
///
/// A client is a cheap value: copy it freely and share it between tasks. It sends requests with one
/// process-wide `HTTPClient` unless ``Configuration/httpClient`` names another.
public struct EntityClient: Sendable {
    /// The base URL every path is appended to, such as `http://127.0.0.1:8080/api/v1`.
    public var endpoint: String { executor.endpoint }

    /// The settings requests are sent with.
    public var configuration: Configuration { executor.configuration }

    let executor: RequestExecutor

    /// A client of the server at `endpoint`.
    ///
    /// - Parameters:
    ///   - endpoint: The API's base URL. An endpoint without a path (`http://127.0.0.1:8080`) means the
    ///     REST API under `/api/v1`; one with a path (`http://host/api/v1`) is used as given.
    ///   - apiKey: Sent unchanged as the `Authorization` header, e.g. `ApiKey SU-1:secret`.
    ///   - configuration: Timeouts, retries, headers and paging; see ``Configuration``.
    /// - Throws: ``EntityClientError/Code/invalidArgument`` when `endpoint` is not an `http` or `https` URL, or
    ///   has a query (`?…`) or fragment (`#…`), which the paths of requests could not be appended to.
    public init(endpoint: String, apiKey: String? = nil, configuration: Configuration = Configuration())
        throws(EntityClientError)
    {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw .invalidArgument("endpoint '\(endpoint)' is not an http:// or https:// URL")
        }
        guard url.query == nil, url.fragment == nil else {
            throw .invalidArgument("endpoint '\(endpoint)' has a query or fragment; paths are appended to it")
        }
        guard configuration.pageSize > 0 else { throw .invalidArgument("the page size must be positive") }
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        if url.path.isEmpty || url.path == "/" { base += "/api/v1" }
        executor = RequestExecutor(endpoint: base, apiKey: apiKey, configuration: configuration)
    }

    /// A client sending its requests with `executor`.
    init(executor: RequestExecutor) {
        self.executor = executor
    }

    /// The top-level collection `name`: `client.collection("products")` is `{endpoint}/products`.
    public func collection(_ name: String) -> CollectionReference {
        CollectionReference(client: self, path: [name])
    }

    /// The top-level collection `name`; `client["products"]["PRD-1"]` is the entity `PRD-1`.
    public subscript(_ name: String) -> CollectionReference {
        collection(name)
    }

    /// The collection at a `/`-separated path, such as `devops/services` or
    /// `devops/services/SRVC-1/environments`.
    public func collection(atPath path: String) -> CollectionReference {
        CollectionReference(client: self, path: path.split(separator: "/").map(String.init))
    }

    /// The namespace `name`, whose collections are reached with ``NamespaceReference/collection(_:)``.
    public func namespace(_ name: String) -> NamespaceReference {
        NamespaceReference(client: self, path: [name])
    }

    /// Sends a request to `{endpoint}/{path}` and returns its JSON answer (`nil` for an empty answer).
    ///
    /// The raw form of every other call, for paths the fluent API does not cover:
    /// `try await client.send(.GET, "products/PRD-1")`.
    ///
    /// - Parameters:
    ///   - path: Segments separated by `/`; each is percent-encoded.
    ///   - query: The query string without `?`, RQL as text (`eq(status,active)&limit=10`).
    ///   - body: A JSON body.
    ///   - idempotencyKey: Makes a `POST` or `PATCH` safe to retry.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        query: String? = nil,
        body: JSON? = nil,
        idempotencyKey: String? = nil
    ) async throws(EntityClientError) -> JSON? {
        let segments = path.split(separator: "/").map(String.init)
        let encodedQuery = query.map(PercentEncoding.rqlText)
        var request =
            if let body {
                ClientRequest(method, Self.encodedPath(segments), query: encodedQuery, json: body)
            } else {
                ClientRequest(method, Self.encodedPath(segments), query: encodedQuery)
            }
        request.idempotencyKey = idempotencyKey
        return try await executor.send(request).json()
    }

    static func encodedPath(_ segments: [String]) -> String {
        segments.map(PercentEncoding.pathSegment).joined(separator: "/")
    }
}
