import EntityModel
import EntityQuery
import EntityService
import Foundation
import HTTPTypes
import Hummingbird

/// Reading the parts of a REST request: JSON body, `If-Match` and the RQL query string.
struct RESTRequest {
    let request: Request
    let limits: RESTLimits

    /// The JSON body, or `nil` when there is none (`Content-Length: 0`).
    ///
    /// Refuses bodies above the size limit (413), with a media type other than JSON (415), and
    /// invalid or too deeply nested JSON (400, with line and column).
    func jsonBody() async throws(RESTError) -> JSON? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maximumBodySize {
            throw RESTError(
                .contentTooLarge,
                "PAYLOAD_TOO_LARGE",
                "the request body has \(length) bytes; the limit is \(limits.maximumBodySize)"
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limits.maximumBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw RESTError(
                .contentTooLarge,
                "PAYLOAD_TOO_LARGE",
                "the request body is larger than the limit of \(limits.maximumBodySize) bytes"
            )
        } catch {
            throw RESTError(.badRequest, "INVALID_REQUEST", "the request body could not be read")
        }
        guard buffer.readableBytes > 0 else { return nil }
        if let type = request.headers[.contentType]?.lowercased() {
            let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard media == "application/json" || media.hasSuffix("+json") else {
                throw RESTError(
                    .unsupportedMediaType,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "Content-Type '\(type)' is not supported; send application/json"
                )
            }
        } else {
            throw RESTError(
                .unsupportedMediaType,
                "UNSUPPORTED_MEDIA_TYPE",
                "a body needs Content-Type: application/json"
            )
        }
        do {
            return try JSONParser(maximumDepth: limits.maximumJSONDepth).parse(buffer.readableBytesView)
        } catch {
            throw RESTError.invalidJSON(error)
        }
    }

    /// The version named by `If-Match`, if any.
    func expectedVersion() throws(RESTError) -> Int64? {
        try ETag.expectedVersion(from: request.headers[.ifMatch])
    }

    /// The `Idempotency-Key` of a write, with the fingerprint of this request (method, path, `If-Match`
    /// and the body as parsed, so spacing and key order do not matter); `nil` without the header.
    func idempotencyKey(body: JSON) throws(RESTError) -> IdempotencyKey? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        let parts = [
            request.method.rawValue, request.uri.path, request.headers[.ifMatch] ?? "", body.serialized(),
        ]
        do {
            return try IdempotencyKey(key, fingerprint: IdempotencyKey.fingerprint(of: parts))
        } catch {
            throw RESTError(error)
        }
    }

    /// Whether the client asked not to count the matches of a list (`Prefer: count=none`, as PostgREST
    /// spells it): the `Content-Range` total is then `*` unless the page itself tells it.
    var prefersNoCount: Bool {
        request.headers[values: .prefer].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "count=none" }
        }
    }

    /// The list query of the query string, with the default page size applied.
    func listQuery(defaultLimit: Int) throws(RESTError) -> Query {
        try rql().query(defaultLimit: defaultLimit)
    }

    func rql() throws(RESTError) -> RQLRequest {
        do {
            return try RQLParser().parse(queryString: request.uri.query ?? "")
        } catch  where error.code == .invalidParameter {
            throw RESTError(.badRequest, "INVALID_REQUEST", "query: \(error.description)")
        } catch {
            throw RESTError(.badRequest, "INVALID_RQL", "query: \(error.description)")
        }
    }
}

/// Size limits of the REST adapter.
public struct RESTLimits: Sendable {
    /// Largest request body accepted, in bytes. Default 16 MiB.
    public var maximumBodySize: Int
    /// Deepest nesting of arrays and objects accepted in a body. Default 64.
    public var maximumJSONDepth: Int

    public init(maximumBodySize: Int = 16 * 1024 * 1024, maximumJSONDepth: Int = 64) {
        self.maximumBodySize = maximumBodySize
        self.maximumJSONDepth = maximumJSONDepth
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`: makes a retried POST or PATCH safe (answered from the first request's record).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `Prefer`: `count=none` skips counting the matches of a list.
    static let prefer = HTTPField.Name("Prefer")!
    /// `Preference-Applied`: which `Prefer` preferences the answer honours.
    static let preferenceApplied = HTTPField.Name("Preference-Applied")!
}
