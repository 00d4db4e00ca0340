import EntityModel
import NIOHTTP1

/// One request as the client builds it, before it is turned into an AsyncHTTPClient request.
struct ClientRequest: Sendable {
    var method: HTTPMethod
    /// The path below the endpoint, already percent-encoded, without a leading `/`.
    var path: String
    /// The query string without `?`, already encoded (RQL terms stay readable).
    var query: String?
    var headers: [(name: String, value: String)] = []
    var body: [UInt8]?
    /// The `Idempotency-Key` that makes a `POST` or `PATCH` safe to repeat.
    var idempotencyKey: String?

    init(_ method: HTTPMethod, _ path: String, query: String? = nil, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    init(_ method: HTTPMethod, _ path: String, query: String? = nil, json: JSON) {
        var bytes: [UInt8] = []
        json.write(into: &bytes)
        self.init(method, path, query: query, body: bytes)
    }

    /// Whether sending the request twice has the same effect as sending it once, so a retry is safe.
    var isRetryable: Bool {
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS: true
        default: idempotencyKey != nil
        }
    }

    mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}
