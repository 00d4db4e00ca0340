import EntityModel
import Foundation
import HTTPTypes

/// A `$batch` request, multipart (OData 4.0 §11.7) or JSON (4.01 §19), as an ordered list of
/// requests: single ones and atomic groups (changesets, atomicity groups).
struct ODataBatchRequest: Sendable {
    enum Format: Sendable {
        case multipart, json
    }

    /// One request of the batch.
    struct Item: Sendable {
        /// `Content-ID` (multipart, required in changesets) or `id` (JSON).
        var id: String?
        var request: ODataRequest
        /// JSON: the ids of requests or atomicity groups this one needs to have succeeded.
        var dependsOn: [String] = []
    }

    /// Requests that succeed or fail together, or one request on its own.
    struct Group: Sendable {
        /// The changeset's boundary or the atomicity group's id; `nil` for a single request.
        var atomicityGroup: String?
        var items: [Item]
        var isAtomic: Bool { atomicityGroup != nil }
    }

    var format: Format
    var groups: [Group]

    var itemCount: Int { groups.reduce(0) { $0 + $1.items.count } }

    /// Parses a batch body by its `Content-Type`.
    init(body: [UInt8], contentType: String, serviceRoot: String, maximumJSONDepth: Int) throws(ODataError) {
        let mediaType = contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch mediaType {
        case "multipart/mixed":
            guard let boundary = MultipartBody.boundary(of: contentType) else {
                throw ODataError(
                    .badRequest,
                    "Content-Type multipart/mixed needs a boundary parameter",
                    target: "Content-Type"
                )
            }
            format = .multipart
            groups = try Self.multipartGroups(body, boundary: boundary, serviceRoot: serviceRoot)
        case "application/json":
            format = .json
            groups = try ODataJSONBatch.groups(body, serviceRoot: serviceRoot, maximumJSONDepth: maximumJSONDepth)
        default:
            throw ODataError(
                .unsupportedMediaType,
                "a $batch body is multipart/mixed or application/json, not \(contentType)",
                target: "Content-Type"
            )
        }
    }

    private static func multipartGroups(
        _ body: [UInt8],
        boundary: String,
        serviceRoot: String
    ) throws(ODataError) -> [Group] {
        var groups: [Group] = []
        for (index, part) in try MultipartBody(body, boundary: boundary).parts.enumerated() {
            let type = part.header("content-type") ?? ""
            if type.lowercased().hasPrefix("multipart/mixed") {
                guard let inner = MultipartBody.boundary(of: type) else {
                    throw ODataError(.badRequest, "changeset \(index + 1) has no boundary", target: "$batch")
                }
                var items: [Item] = []
                for changePart in try MultipartBody(part.body, boundary: inner).parts {
                    let item = try httpItem(changePart, serviceRoot: serviceRoot)
                    if item.request.method == .get {
                        throw ODataError(
                            .badRequest,
                            "a changeset holds only data modifications and actions, not GET \(item.request.path)",
                            target: "$batch"
                        )
                    }
                    items.append(item)
                }
                groups.append(Group(atomicityGroup: inner, items: items))
            } else {
                groups.append(Group(atomicityGroup: nil, items: [try httpItem(part, serviceRoot: serviceRoot)]))
            }
        }
        return groups
    }

    /// An `application/http` part: a request line, header lines, an empty line, the body.
    private static func httpItem(_ part: MultipartBody.Part, serviceRoot: String) throws(ODataError) -> Item {
        if let type = part.header("content-type"), !type.lowercased().hasPrefix("application/http") {
            throw ODataError(
                .badRequest,
                "a batch part is application/http or a multipart/mixed changeset, not \(type)",
                target: "$batch"
            )
        }
        return try httpRequest(part.body, contentID: part.header("content-id"), serviceRoot: serviceRoot)
    }

    private static func httpRequest(
        _ bytes: [UInt8],
        contentID: String?,
        serviceRoot: String
    ) throws(ODataError) -> Item {
        var index = 0
        // Skip blank lines before the request line.
        var requestLine = 0..<0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            requestLine = MultipartBody.trimmed(bytes, index..<end)
            index = end + 1
            if !requestLine.isEmpty { break }
        }
        let words = bytes[requestLine].split(separator: UInt8(ascii: " ")).map {
            MultipartBody.string(bytes, $0.startIndex..<$0.endIndex)
        }
        guard words.count >= 2 else {
            throw ODataError(
                .badRequest,
                "batch part request line '\(MultipartBody.string(bytes, requestLine))' is not 'METHOD URL HTTP/1.1'",
                target: "$batch"
            )
        }
        guard let method = HTTPRequest.Method(words[0].uppercased()) else {
            throw ODataError(.badRequest, "batch part method '\(words[0])' is not an HTTP method", target: "$batch")
        }
        let message = try MultipartBody.part(bytes, from: min(index, bytes.count))
        var headers = HTTPFields()
        for (name, value) in message.headers {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        var body = message.body
        if let length = headers[.contentLength].flatMap(Int.init), length < body.count {
            body = Array(body.prefix(length))
        } else {
            while let last = body.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { body.removeLast() }
        }
        let (path, query) = try relativeURL(String(words[1]), serviceRoot: serviceRoot)
        let id = contentID ?? headers[.contentID]
        return Item(
            id: id,
            request: ODataRequest(method: method, path: path, query: query, headers: headers, body: body)
        )
    }

    /// The path after the service root and the query of a request URL in any of the three forms:
    /// absolute (`http://host/odata/products`), absolute path (`/odata/products`) or relative to the
    /// service root (`products`, `$1/category`).
    static func relativeURL(_ url: String, serviceRoot: String) throws(ODataError) -> (String, String) {
        var text = absolutePath(of: url)
        let root = absolutePath(of: serviceRoot)
        if text.hasPrefix("/") {
            guard text.hasPrefix(root) || text + "/" == root else {
                throw ODataError(
                    .notFound,
                    "batch request URL \(url) is not under the service root \(root)",
                    target: "$batch"
                )
            }
            text = String(text.dropFirst(min(text.count, root.count)))
        }
        guard let question = text.firstIndex(of: "?") else { return (text, "") }
        return (String(text[..<question]), String(text[text.index(after: question)...]))
    }

    /// `url` without its scheme and authority when it has them (`http://host/odata/x` → `/odata/x`).
    private static func absolutePath(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        return afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
    }
}
