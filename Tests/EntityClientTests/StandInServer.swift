import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A request as a stand-in server received it.
struct ReceivedRequest: Sendable {
    var method: String
    /// The path and query exactly as sent, such as `/api/v1/products?limit=100&offset=0`.
    var uri: String
    /// The headers, by lowercased name.
    var headers: [String: String]
    var body: String

    var path: String { String(uri.prefix { $0 != "?" }) }
    var query: String? { uri.firstIndex(of: "?").map { String(uri[uri.index(after: $0)...]) } }

    /// The integer value of the query parameter `name` (`limit`, `offset`).
    func parameter(_ name: String) -> Int? {
        query?.split(separator: "&").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) }
    }
}

/// A stand-in for EntityHub: records every request under `/api/v1` and answers it with `respond`, which
/// is given the request and how many requests came before it.
func withStandInServer(
    _ respond: @escaping @Sendable (ReceivedRequest, _ earlier: Int) async throws -> Response,
    _ body: @Sendable (_ port: Int, _ received: Recorder<ReceivedRequest>) async throws -> Void
) async throws {
    let received = Recorder<ReceivedRequest>()
    let router = Router()
    for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
        router.on("/api/v1/**", method: method) { request, _ -> Response in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let receivedRequest = ReceivedRequest(
                method: request.method.rawValue,
                uri: request.uri.string,
                headers: headers,
                body: String(buffer: bytes)
            )
            let earlier = await received.appendCounting(receivedRequest)
            return try await respond(receivedRequest, earlier)
        }
    }
    try await withServer(router) { port in try await body(port, received) }
}

/// Answers of the stand-in server.
enum Reply {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.description))
        )
    }

    static func text(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A Connect error body with `status`.
    static func error(_ status: HTTPResponse.Status, code: String = "UNAVAILABLE", retryAfter: String? = nil)
        -> Response
    {
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return json(["error_code": .string(code), "errors": ["try again later"]], status: status, headers: headers)
    }

    /// One page of `items` as the window `limit`/`offset` of `request` selects it, with `Content-Range`.
    static func page(of items: [JSON], for request: ReceivedRequest) -> Response {
        let offset = request.parameter("offset") ?? 0
        let limit = request.parameter("limit") ?? 100
        let window = Array(items.dropFirst(offset).prefix(limit))
        let last = window.isEmpty ? offset : offset + window.count - 1
        return json(.array(window), headers: [.contentRange: "items \(offset)-\(last)/\(items.count)"])
    }
}

extension Recorder {
    /// Records `value` and returns how many values were recorded before it.
    func appendCounting(_ value: Value) -> Int {
        append(value)
        return values.count - 1
    }
}

/// Collects what an ``EntityClient`` logs, to count its retries.
final class LogRecorder: Sendable {
    private let storage = LockedMessages()

    var messages: [String] { storage.messages }

    /// A logger writing into this recorder.
    var logger: Logger {
        var logger = Logger(label: "EntityClientTests.recorder") { _ in Handler(storage: self.storage) }
        logger.logLevel = .debug
        return logger
    }

    private final class LockedMessages: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []

        var messages: [String] { lock.withLock { stored } }

        func append(_ message: String) {
            lock.withLock { stored.append(message) }
        }
    }

    private struct Handler: LogHandler {
        let storage: LockedMessages
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            storage.append(event.message.description)
        }
    }
}
