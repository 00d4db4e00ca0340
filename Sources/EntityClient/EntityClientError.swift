import EntityModel
import Foundation

/// An error from ``EntityClient``: the server refused a request, the request never got an answer, or the
/// answer could not be read.
///
/// Compare ``code`` with the static codes to tell the cases apart; every error names the request that
/// failed:
///
/// ```swift
/// do {
///     try await client["products"]["PRD-1"].update(["name": "Lamp"], ifVersion: 3)
/// } catch let error as EntityClientError where error.code == .versionMismatch {
///     // someone else changed PRD-1 first: read it again and retry
/// } catch let error as EntityClientError {
///     print(error.status, error.errorCode, error.errors)   // 422 VALIDATION_FAILED ["price: ..."]
/// }
/// ```
public struct EntityClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case server, notFound, versionMismatch, transport, timeout, invalidResponse, invalidArgument
            case responseTooLarge
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server answered with a status of 400 or more (other than 404 and 412).
        public static let server = Code(.server)
        /// The server answered 404: the entity, collection or action does not exist.
        public static let notFound = Code(.notFound)
        /// The server answered 412: the entity's version is not the one given with `ifVersion`.
        public static let versionMismatch = Code(.versionMismatch)
        /// The request got no answer: the connection failed or was closed.
        public static let transport = Code(.transport)
        /// The request took longer than its timeout.
        public static let timeout = Code(.timeout)
        /// The answer was not what the protocol promises (bad JSON, a missing `Content-Range`, …).
        public static let invalidResponse = Code(.invalidResponse)
        /// The answer was larger than ``EntityClient/Configuration/maximumResponseSize``.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// The call could not be made as written: a bad endpoint, path or value.
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { base.rawValue }
    }

    /// The request that failed.
    public struct Request: Sendable, CustomStringConvertible {
        /// The HTTP method, such as `GET`.
        public let method: String
        /// The full URL, including the query.
        public let url: String

        public var description: String { "\(method) \(url)" }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The HTTP status of the answer, when there was one.
    public let status: Int?
    /// The server's `error_code`, such as `VALIDATION_FAILED`.
    public let errorCode: String?
    /// The server's messages (or one message describing a failure on this side).
    public let errors: [String]
    /// The request that failed; `nil` when the call failed before a request was made.
    public let request: Request?
    /// The underlying error (of AsyncHTTPClient, NIO or the JSON parser), when there is one.
    public let underlyingError: (any Error & Sendable)?

    init(
        _ code: Code,
        status: Int? = nil,
        errorCode: String? = nil,
        errors: [String],
        request: Request? = nil,
        underlyingError: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.status = status
        self.errorCode = errorCode
        self.errors = errors
        self.request = request
        self.underlyingError = underlyingError
    }

    /// A one-line summary: the status and code, the server's messages, and the request.
    public var description: String {
        var parts: [String] = []
        if let status { parts.append(String(status)) }
        if let errorCode { parts.append(errorCode) }
        if parts.isEmpty { parts.append(code.description) }
        var line = parts.joined(separator: " ")
        if !errors.isEmpty { line += ": " + errors.joined(separator: "; ") }
        if let request { line += " (\(request))" }
        return line
    }

    static func invalidArgument(_ message: String) -> EntityClientError {
        EntityClientError(.invalidArgument, errors: [message])
    }
}

extension EntityClientError {
    /// The error for an answer with a status of 400 or more, read from the Connect error body
    /// `{"error_code": "...", "errors": ["..."]}` when there is one.
    static func answer(status: Int, body: [UInt8], request: Request) -> EntityClientError {
        let code: Code =
            switch status {
            case 404: .notFound
            case 412: .versionMismatch
            default: .server
            }
        var errorCode: String?
        var messages: [String] = []
        if let document = try? JSON(parsing: body), case .object(let members) = document {
            errorCode = members["error_code"]?.stringValue
            messages = members["errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        if messages.isEmpty {
            let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            messages = [text.isEmpty ? "the server answered \(status)" : text]
        }
        return EntityClientError(code, status: status, errorCode: errorCode, errors: messages, request: request)
    }
}
