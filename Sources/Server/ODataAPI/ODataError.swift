import EntityModel
import EntityQuery
import EntityService
import HTTPTypes
import Hummingbird

/// The one error type of the OData adapter, rendered as the error body of OData JSON §21:
/// `{"error": {"code", "message", "target", "details", "innererror"}}`, served as `application/json`
/// with `OData-Version`. Nothing under `/odata` answers with another error body or a trace.
struct ODataError: Error, Sendable {
    let status: HTTPResponse.Status
    /// A short code: the status in words (`BadRequest`) unless a more precise one applies.
    let code: String
    let message: String
    /// What the error concerns: a query option (`$filter`), a property, a batch part.
    var target: String?
    /// More problems of the same request (every failing item of a validation, for example).
    var details: [String] = []
    /// Where in `target` the problem starts (0-based characters), for syntax errors.
    var position: Int?
    /// For 405: the methods the resource allows (sent as `Allow`).
    var allowed: [HTTPRequest.Method] = []
    /// For 429 and 503: seconds before a retry may succeed (sent as `Retry-After`).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, code: String? = nil, target: String? = nil) {
        self.status = status
        self.code = code ?? Self.code(for: status)
        self.message = message
        self.target = target
    }

    /// The one place where service errors become OData statuses.
    init(_ error: EntityError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .invalidQuery, .invalidRequest, .validationFailed: status = .badRequest
        case .notFound: status = .notFound
        case .duplicateID, .conflict, .actionConditionFailed: status = .conflict
        case .versionMismatch: status = .preconditionFailed
        case .idempotencyKeyReused: status = .unprocessableContent
        case .unauthenticated: status = .unauthorized
        case .forbidden: status = .forbidden
        case .rateLimited: status = .tooManyRequests
        case .cursorExpired: status = .gone
        case .unavailable: status = .serviceUnavailable
        case .internal: status = .internalServerError
        }
        self.init(status, error.messages.first ?? status.reasonPhrase)
        details = error.messages.count > 1 ? error.messages : []
        retryAfter = error.retryAfter ?? (status == .serviceUnavailable ? 1 : nil)
    }

    /// A URL, query option or `Prefer` value the parser or translator refused: 400 with the position
    /// and the token found there, or 501 for valid OData that EntityHub does not implement. An
    /// unknown name in the resource path is 404.
    init(_ error: ODataQueryError) {
        self.init(error, position: error.position)
    }

    /// The same, with the position given in the option's decoded value rather than the raw URL.
    init(_ error: ODataQueryError, position: Int) {
        let status: HTTPResponse.Status
        let code: String
        if error.code == .unsupported {
            (status, code) = (.notImplemented, "NotImplemented")
        } else if error.option == nil, error.code == .unknownName || Self.isName(error.token) {
            (status, code) = (.notFound, "NotFound")
        } else {
            (status, code) = (.badRequest, error.code == .syntax ? "SyntaxError" : "BadRequest")
        }
        let place = error.option.map { "at position \(position) in \($0)" } ?? "at position \(position) of the path"
        self.init(status, "\(error.message) \(place) (found '\(error.token)')", code: code, target: error.option)
        self.position = position
    }

    private static func isName(_ token: String) -> Bool {
        !token.isEmpty
            && token.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
    }

    /// A URL or body that does not parse: 400 naming the option (or body) and the position.
    static func syntax(_ message: String, in target: String, at position: Int?) -> ODataError {
        var error = ODataError(.badRequest, message, code: "SyntaxError", target: target)
        error.position = position
        return error
    }

    /// A feature the grammar allows but EntityHub does not implement (`$apply`, `$compute`, geo): 501.
    static func notImplemented(_ feature: String) -> ODataError {
        ODataError(.notImplemented, "\(feature) is not implemented by EntityHub", target: feature)
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> ODataError {
        var error = ODataError(
            .methodNotAllowed,
            "\(method.rawValue) is not allowed on this resource; use \(allowed.map(\.rawValue).joined(separator: ", "))"
        )
        error.allowed = allowed
        return error
    }

    /// The serialized body, members in the order of OData JSON §21.
    var bodyBytes: [UInt8] {
        var output: [UInt8] = []
        output.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSON.writeString(code, into: &output)
        output.append(contentsOf: #","message":"#.utf8)
        JSON.writeString(message, into: &output)
        if let target {
            output.append(contentsOf: #","target":"#.utf8)
            JSON.writeString(target, into: &output)
        }
        if !details.isEmpty {
            output.append(contentsOf: #","details":["#.utf8)
            for (index, detail) in details.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: #"{"code":"#.utf8)
                JSON.writeString(code, into: &output)
                output.append(contentsOf: #","message":"#.utf8)
                JSON.writeString(detail, into: &output)
                if let target {
                    output.append(contentsOf: #","target":"#.utf8)
                    JSON.writeString(target, into: &output)
                }
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: "]"))
        }
        if let position {
            output.append(contentsOf: #","innererror":{"position":"#.utf8)
            output.append(contentsOf: String(position).utf8)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "}}".utf8)
        return output
    }

    /// The headers an error answer carries besides its media type.
    var headers: HTTPFields {
        var fields = HTTPFields()
        if !allowed.isEmpty { fields[.allow] = allowed.map(\.rawValue).joined(separator: ", ") }
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { fields[.wwwAuthenticate] = #"ApiKey realm="EntityHub", Bearer realm="EntityHub""# }
        return fields
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { word in
            word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }
}
