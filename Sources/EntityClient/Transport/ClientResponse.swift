import EntityModel
import NIOHTTP1

/// A whole answer of the server: status, headers and body (read up to the configured limit).
struct ClientResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]
    let request: EntityClientError.Request

    /// The body as JSON; `nil` for an empty body (204).
    func json() throws(EntityClientError) -> JSON? {
        if body.isEmpty { return nil }
        do {
            return try JSON(parsing: body, maximumDepth: 512)
        } catch {
            throw EntityClientError(
                .invalidResponse,
                status: status,
                errors: ["the answer is not valid JSON: \(error)"],
                request: request,
                underlyingError: error
            )
        }
    }

    /// The body as JSON, failing when it is empty.
    func requiredJSON() throws(EntityClientError) -> JSON {
        guard let value = try json() else {
            throw EntityClientError(.invalidResponse, status: status, errors: ["the answer is empty"], request: request)
        }
        return value
    }

    /// The body as a JSON array (a page or a bulk answer).
    func jsonArray() throws(EntityClientError) -> [JSON] {
        let value = try requiredJSON()
        guard case .array(let elements) = value else {
            throw EntityClientError(
                .invalidResponse,
                status: status,
                errors: ["expected a JSON array, found \(value.typeName)"],
                request: request
            )
        }
        return elements
    }

    /// The parsed `Content-Range: items first-last/total` header.
    func contentRange() throws(EntityClientError) -> ContentRange {
        guard let header = headers.first(name: "Content-Range") else {
            throw EntityClientError(
                .invalidResponse,
                status: status,
                errors: ["the answer has no Content-Range header"],
                request: request
            )
        }
        guard let range = ContentRange(header) else {
            throw EntityClientError(
                .invalidResponse,
                status: status,
                errors: ["Content-Range '\(header)' is not 'items first-last/total'"],
                request: request
            )
        }
        return range
    }

    /// The entity version in the `ETag` header (`"3"` → 3).
    var version: Int64? {
        guard var tag = headers.first(name: "ETag") else { return nil }
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        return Int64(tag.filter { $0 != "\"" })
    }
}

/// `Content-Range: items first-last/total` of a list answer.
///
/// Every part must be a non-negative integer written with digits only: `items 0--1/0` or `items 0-9/-1`
/// are refused rather than read as something the server did not say. The total may be `*` (unknown)
/// when the request asked not to count (`Prefer: count=none`).
struct ContentRange: Sendable, Equatable {
    let first: Int
    let last: Int
    let total: Int?

    init?(_ header: String) {
        let parts = header.split(separator: " ")
        guard parts.count == 2, parts[0] == "items" else { return nil }
        let range = parts[1].split(separator: "/", omittingEmptySubsequences: false)
        guard range.count == 2, range[1] == "*" || Self.count(range[1]) != nil else { return nil }
        let total = Self.count(range[1])
        let bounds = range[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Self.count(bounds[0]), let last = Self.count(bounds[1]) else { return nil }
        self.first = first
        self.last = last
        self.total = total
    }

    /// A non-negative integer of digits only (no sign).
    private static func count(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }
}
