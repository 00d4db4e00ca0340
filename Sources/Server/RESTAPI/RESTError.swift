import EntityModel
import EntityService
import HTTPTypes
import Hummingbird
import Logging

/// An error of the REST adapter, rendered as the Connect error body
/// `{"error_code": "...", "errors": ["..."]}` with its HTTP status.
struct RESTError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let messages: [String]
    /// For 405: the methods the resource allows (sent as `Allow`).
    var allowed: [HTTPRequest.Method] = []
    /// For 429 and 503: seconds before a retry may succeed (sent as `Retry-After`).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ code: String, _ messages: [String]) {
        self.status = status
        self.code = code
        self.messages = messages
    }

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.init(status, code, [message])
    }

    /// The one place where service errors become REST statuses and error codes.
    init(_ error: EntityError) {
        switch error.code {
        case .invalidQuery: self.init(.badRequest, "INVALID_RQL", error.messages)
        case .invalidRequest: self.init(.badRequest, "INVALID_REQUEST", error.messages)
        case .notFound: self.init(.notFound, "NOT_FOUND", error.messages)
        case .validationFailed: self.init(.unprocessableContent, "VALIDATION_FAILED", error.messages)
        case .duplicateID: self.init(.conflict, "DUPLICATE_ID", error.messages)
        case .conflict: self.init(.conflict, "VERSION_CONFLICT", error.messages)
        case .versionMismatch: self.init(.preconditionFailed, "VERSION_MISMATCH", error.messages)
        case .actionConditionFailed: self.init(.conflict, "ACTION_CONDITION_FAILED", error.messages)
        case .idempotencyKeyReused: self.init(.unprocessableContent, "IDEMPOTENCY_KEY_REUSED", error.messages)
        case .unauthenticated: self.init(.unauthorized, "UNAUTHORIZED", error.messages)
        case .forbidden: self.init(.forbidden, "FORBIDDEN", error.messages)
        case .rateLimited: self.init(.tooManyRequests, "TOO_MANY_REQUESTS", error.messages)
        case .cursorExpired: self.init(.gone, "CURSOR_EXPIRED", error.messages)
        case .unavailable: self.init(.serviceUnavailable, "UNAVAILABLE", error.messages)
        case .internal: self.init(.internalServerError, "INTERNAL", error.messages)
        }
        retryAfter = error.retryAfter
    }

    /// Errors raised by the HTTP layer (body too large, malformed request).
    init(_ error: any HTTPResponseError) {
        switch error.status {
        case .contentTooLarge:
            self.init(.contentTooLarge, "PAYLOAD_TOO_LARGE", "the request body is larger than the server accepts")
        case .notFound: self.init(.notFound, "NOT_FOUND", "no such resource")
        default: self.init(error.status, "HTTP_\(error.status.code)", error.status.reasonPhrase)
        }
    }

    static func invalidJSON(_ error: JSONParsingError) -> RESTError {
        RESTError(.badRequest, "INVALID_JSON", "request body: \(error.description)")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> RESTError {
        var error = RESTError(
            .methodNotAllowed,
            "METHOD_NOT_ALLOWED",
            "\(method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))"
        )
        error.allowed = allowed
        return error
    }

    /// The answer of `body`, or of the error it throws in the REST format (unexpected errors are
    /// logged and answered 500 without details): how the REST-style adapters answer.
    static func responding(logging logger: Logger, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as RESTError {
            return error.response()
        } catch let error as EntityError {
            return RESTError(error).response()
        } catch {
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return RESTError(.internalServerError, "INTERNAL", "internal error").response()
        }
    }

    /// The error as an HTTP response with a Connect error body.
    func response() -> Response {
        var output: [UInt8] = []
        JSON.writeObject(
            [("error_code", JSON.string(code)), ("errors", JSON.array(messages.map(JSON.string)))],
            into: &output
        )
        var response = JSONResponse.make(status: status, bytes: output)
        if !allowed.isEmpty {
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        }
        if let retryAfter {
            response.headers[.retryAfter] = String(retryAfter)
        } else if status == .serviceUnavailable {
            // What retrying clients (EntityClient, the Connect client's backoff) wait before trying again.
            response.headers[.retryAfter] = "1"
        }
        if status == .unauthorized {
            response.headers[.wwwAuthenticate] = #"ApiKey realm="EntityHub", Bearer realm="EntityHub""#
        }
        return response
    }
}
