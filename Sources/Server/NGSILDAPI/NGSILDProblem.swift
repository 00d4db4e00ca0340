import EntityModel
import EntityQuery
import EntityService
import HTTPTypes
import Hummingbird
import NGSILD

/// The one error type of the NGSI-LD adapter: a ProblemDetails body (RFC 7807) served as
/// `application/json`, whose `type` is an NGSI-LD error URI (§2.1) or, for what NGSI-LD has no type
/// for, `urn:entityhub:error:…`.
struct NGSILDProblem: Error, Sendable {
    /// The error types of table 6.3.2-1 this adapter answers with, and EntityHub's own.
    enum Kind: String, Sendable {
        case invalidRequest = "InvalidRequest"
        case badRequestData = "BadRequestData"
        case alreadyExists = "AlreadyExists"
        case resourceNotFound = "ResourceNotFound"
        case operationNotSupported = "OperationNotSupported"
        case tooManyResults = "TooManyResults"
        case ldContextNotAvailable = "LdContextNotAvailable"
        case internalError = "InternalError"
        case noMultiTenantSupport = "NoMultiTenantSupport"
        case conflict = "Conflict"
        case unauthenticated = "unauthenticated"
        case forbidden = "forbidden"
        case unavailable = "unavailable"
        case rateLimited = "rate-limited"
        case notAcceptable = "not-acceptable"
        case methodNotAllowed = "method-not-allowed"
        case contentTooLarge = "content-too-large"
        case lengthRequired = "length-required"

        var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest, .badRequestData: .badRequest
            case .alreadyExists, .conflict: .conflict
            case .resourceNotFound: .notFound
            case .operationNotSupported: .unprocessableContent
            case .tooManyResults, .forbidden: .forbidden
            case .ldContextNotAvailable: .gatewayTimeout
            case .internalError: .internalServerError
            case .noMultiTenantSupport: .notImplemented
            case .unauthenticated: .unauthorized
            case .unavailable: .serviceUnavailable
            case .rateLimited: .tooManyRequests
            case .notAcceptable: .notAcceptable
            case .methodNotAllowed: .methodNotAllowed
            case .contentTooLarge: .contentTooLarge
            case .lengthRequired: .lengthRequired
            }
        }

        var title: String {
            switch self {
            case .invalidRequest: "Invalid request."
            case .badRequestData: "Bad request data."
            case .alreadyExists: "Entity already exists."
            case .resourceNotFound: "Resource not found."
            case .operationNotSupported: "Operation not supported."
            case .tooManyResults: "Too many results."
            case .ldContextNotAvailable: "JSON-LD @context not available."
            case .internalError: "Internal error."
            case .noMultiTenantSupport: "No multi-tenant support."
            case .conflict: "Conflict."
            case .unauthenticated: "Authentication required."
            case .forbidden: "Forbidden."
            case .unavailable: "Service unavailable."
            case .rateLimited: "Too many requests."
            case .notAcceptable: "Not acceptable."
            case .methodNotAllowed: "Method not allowed."
            case .contentTooLarge: "Content too large."
            case .lengthRequired: "Length required."
            }
        }

        /// The `type` URI of the body.
        var typeURI: String {
            switch self {
            case .unauthenticated, .forbidden, .unavailable, .rateLimited, .notAcceptable, .methodNotAllowed,
                .contentTooLarge, .lengthRequired:
                "urn:entityhub:error:\(rawValue)"
            default:
                "https://uri.etsi.org/ngsi-ld/errors/\(rawValue)"
            }
        }
    }

    let kind: Kind
    /// What exactly was wrong, and where (`q: expected a value at position 14`).
    let detail: String
    /// The entity or URL concerned, when there is one.
    var instance: String?
    /// For 405: the methods the resource allows.
    var allowed: [HTTPRequest.Method] = []
    /// For 429 and 503: seconds before a retry may succeed.
    var retryAfter: Int?

    init(_ kind: Kind, _ detail: String, instance: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.instance = instance
    }

    /// The one mapping of service errors to NGSI-LD errors.
    init(_ error: EntityError, instance: String? = nil) {
        let kind: Kind
        switch error.code {
        case .invalidQuery, .invalidRequest, .validationFailed, .actionConditionFailed, .idempotencyKeyReused,
            .cursorExpired:
            kind = .badRequestData
        case .notFound: kind = .resourceNotFound
        case .duplicateID: kind = .alreadyExists
        case .conflict, .versionMismatch: kind = .conflict
        case .unauthenticated: kind = .unauthenticated
        case .forbidden: kind = .forbidden
        case .rateLimited: kind = .rateLimited
        case .unavailable: kind = .unavailable
        case .internal: kind = .internalError
        }
        self.init(kind, error.description, instance: instance)
        retryAfter = error.retryAfter
    }

    /// The one mapping of JSON-LD and representation errors.
    init(_ error: NGSILDError, instance: String? = nil) {
        switch error.code {
        case .contextNotAvailable:
            self.init(.ldContextNotAvailable, error.description, instance: error.url ?? instance)
        case .resourceNotFound:
            self.init(.resourceNotFound, error.description, instance: instance)
        case .operationNotSupported:
            self.init(.operationNotSupported, error.description, instance: instance)
        case .invalidContext, .invalidDocument, .badRequestData:
            self.init(.badRequestData, error.description, instance: instance)
        }
    }

    /// A malformed `q`, `scopeQ`, `type` or `idPattern`: the message names the parameter and position.
    init(_ error: NGSILDQueryError) {
        self.init(.badRequestData, error.description)
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> NGSILDProblem {
        var problem = NGSILDProblem(
            .methodNotAllowed,
            "\(method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))"
        )
        problem.allowed = allowed
        return problem
    }

    /// The ProblemDetails members, for a response body or a batch entry.
    var json: JSON {
        var members: [String: JSON] = [
            "type": .string(kind.typeURI),
            "title": .string(kind.title),
            "detail": .string(detail),
            "status": .integer(Int64(kind.status.code)),
        ]
        if let instance { members["instance"] = .string(instance) }
        return .object(members)
    }

    /// The error as a response: ProblemDetails as `application/json`.
    func response() -> Response {
        var headers = HTTPFields()
        if !allowed.isEmpty { headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ") }
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter)
        } else if kind == .unavailable {
            headers[.retryAfter] = "1"
        }
        if kind == .unauthenticated {
            headers[.wwwAuthenticate] = #"ApiKey realm="EntityHub", Bearer realm="EntityHub""#
        }
        return JSONResponse.make(status: kind.status, json: json, headers: headers)
    }
}
