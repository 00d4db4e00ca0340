import EntityModel
import EntityService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Server
import TestStores
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Constants of the OData tests.
enum OD {
    /// The service root of the in-process servers (`Host` is absent, so `localhost`).
    static let base = "/odata"

    /// The schema of issue 13 §1, plus a field of every type (`samples`), a nested collection, a
    /// strict collection and one that requires ETags.
    static let schema = #"""
        {"namespaces": {"devops": {"collections": {"services": {"fields": {"name": {"type": "string"}},
           "collections": {"environments": {"fields": {"stage": {"type": "string"}}}}}}}},
         "collections": {
          "categories": {"fields": {"title": {"type": "string", "required": true}}},
          "products": {"fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"},
             "tags": {"type": "array", "items": {"type": "string"}},
             "categoryId": {"type": "reference", "collection": "categories", "navigation": "category",
                            "inverse": "products"}},
           "actions": {"reprice": {"parameters": {"price": {"type": "decimal", "required": true}},
                                   "set": {"price": {"$param": "price"}}}},
           "functions": {"isCheap": {"parameters": {"max": {"type": "decimal", "required": true}},
                                     "test": "le(price,$max)"},
                         "cheap": {"on": "collection", "parameters": {"max": {"type": "decimal"}},
                                   "filter": "le(price,$max)"}}},
          "samples": {"fields": {
             "text": {"type": "string", "required": true},
             "count": {"type": "integer"},
             "amount": {"type": "decimal"},
             "flag": {"type": "boolean"},
             "day": {"type": "date"},
             "moment": {"type": "datetime"},
             "spec": {"type": "object", "fields": {"weight": {"type": "decimal"},
                                                   "color": {"type": "string", "required": true}}},
             "sizes": {"type": "array", "items": {"type": "integer"}},
             "loose": {"type": "array"},
             "parentId": {"type": "reference", "collection": "samples", "onDelete": "setNull",
                          "navigation": "parent", "inverse": "children"},
             "about": {"type": "reference", "collection": "categories", "onDelete": "setNull"}},
           "collections": {"parts": {"fields": {"label": {"type": "string"}}}}},
          "fixed": {"strict": true, "fields": {"label": {"type": "string"}}},
          "locked": {"requireETag": true, "fields": {"label": {"type": "string"}}}},
         "actions": {"resetStock": {"collection": "products", "set": {"stock": 0}}},
         "functions": {"countCheap": {"collection": "products", "parameters": {"max": {"type": "decimal"}},
                                      "filter": "le(price,$max)", "returns": "count"}}}
        """#

    /// The namespace of the model.
    static let namespace = "EntityHub"

    /// `Set('key')`, the key quoted and percent-encoded where a URL needs it.
    static func key(_ set: String, _ id: String) -> String {
        let literal = "'" + id.replacingOccurrences(of: "'", with: "''") + "'"
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return "\(set)(\(literal.addingPercentEncoding(withAllowedCharacters: allowed) ?? literal))"
    }

    /// `"N"`, the ETag of version N.
    static func etag(_ version: Int) -> String { "\"\(version)\"" }
}

/// Runs `body` against an in-process EntityHub over a fresh store of `backend`, with the test admin
/// key and `schema` (by default ``OD/schema``).
func withODataServer(
    _ backend: StoreBackend,
    schema: String = OD.schema,
    maximumBatchSize: Int = 10_000,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        let configuration = ServerConfiguration(
            schema: try Schema(json: try JSON(parsing: schema)),
            service: .init(maximumBatchSize: maximumBatchSize, accounts: .init(bcryptCost: 4)),
            limits: .init(maximumBodySize: 1024 * 1024),
            adminKey: TestCredentials.adminKey
        )
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await EntityHubServer.makeApplication(store: store, configuration: configuration, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }
}

extension HTTPField.Name {
    static let odataVersionHeader = HTTPField.Name("OData-Version")!
    static let odataEntityIDHeader = HTTPField.Name("OData-EntityId")!
    static let preferHeader = HTTPField.Name("Prefer")!
}

extension HTTPResponse.Status {
    static let failedDependencyStatus = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
}

extension TestClientProtocol {
    /// Sends a request to `OD.base + "/" + path`, signed in as the test admin unless `authorization`
    /// says otherwise (`nil`: anonymous). A body goes as `application/json` unless `contentType` says
    /// otherwise.
    func od(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ body: String? = nil,
        contentType: String? = nil,
        accept: String? = nil,
        headers: HTTPFields = [:],
        authorization: String? = TestCredentials.adminAuthorization
    ) async throws -> TestResponse {
        var fields = headers
        if let authorization, fields[.authorization] == nil { fields[.authorization] = authorization }
        if let contentType {
            fields[.contentType] = contentType
        } else if body != nil, fields[.contentType] == nil {
            fields[.contentType] = "application/json"
        }
        if let accept { fields[.accept] = accept }
        let uri = path.isEmpty ? OD.base + "/" : "\(OD.base)/\(path)"
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates an entity through REST as the admin; returns its id. Fails the test unless 201.
    func restCreate(
        _ collection: String,
        _ body: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await send(.post, "/api/v1/\(collection)", json: body)
        #expect(
            response.status == .created,
            "create in \(collection): \(response.text)",
            sourceLocation: sourceLocation
        )
        return response.json["id"]?.stringValue ?? ""
    }

    /// The REST total of `collection` as the admin (`?limit=0`).
    func restTotal(_ collection: String, _ query: String = "") async throws -> Int? {
        let response = try await send(.get, "/api/v1/\(collection)?limit=0\(query.isEmpty ? "" : "&\(query)")")
        return response.total
    }
}

extension TestResponse {
    /// The `value` array of an OData collection answer.
    var values: [JSON] { json["value"]?.arrayValue ?? [] }
    /// The ids in the `value` array.
    var valueIDs: Set<String> { Set(values.compactMap { $0["id"]?.stringValue }) }
}

/// Checks that `response` is an OData error: `status`, `application/json`, `OData-Version`, and a body
/// `{"error": {"code", "message", …}}` with nothing else at the top (no REST `error_code`, no trace).
func expectODataError(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    code: String? = nil,
    _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        response.status == status,
        "\(context): expected \(status.code), got \(response.status.code) \(response.text)",
        sourceLocation: sourceLocation
    )
    expectODataErrorBody(response, code: code, context, sourceLocation: sourceLocation)
}

/// The body and headers half of ``expectODataError(_:_:code:_:sourceLocation:)``, for any 4xx/5xx status.
func expectODataErrorBody(
    _ response: TestResponse,
    code: String? = nil,
    _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let media = response.headers[.contentType]?.split(separator: ";").first.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
    #expect(media == "application/json", "\(context): Content-Type \(media ?? "none")", sourceLocation: sourceLocation)
    #expect(
        response.headers[.odataVersionHeader] != nil,
        "\(context): no OData-Version",
        sourceLocation: sourceLocation
    )
    let body = response.json
    #expect(
        body.objectValue?.keys.sorted() == ["error"],
        "\(context): \(response.text)",
        sourceLocation: sourceLocation
    )
    let error = body["error"]
    #expect(
        error?["code"]?.stringValue?.isEmpty == false,
        "\(context): no error code: \(response.text)",
        sourceLocation: sourceLocation
    )
    #expect(
        error?["message"]?.stringValue?.isEmpty == false,
        "\(context): no message: \(response.text)",
        sourceLocation: sourceLocation
    )
    if let code {
        #expect(
            error?["code"]?.stringValue == code,
            "\(context): code \(error?["code"]?.stringValue ?? "none"), expected \(code)",
            sourceLocation: sourceLocation
        )
    }
    #expect(body["error_code"] == nil, "\(context): a REST body", sourceLocation: sourceLocation)
}

// MARK: - Multipart batches

/// One request of a multipart `$batch`.
struct BatchPart {
    var method: String
    var url: String
    var body: String?
    var contentID: String?
    var headers: [(String, String)] = []

    init(_ method: String, _ url: String, _ body: String? = nil, id: String? = nil, headers: [(String, String)] = []) {
        self.method = method
        self.url = url
        self.body = body
        self.contentID = id
        self.headers = headers
    }

    func text(newline: String = "\r\n") -> String {
        var lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
        if let contentID { lines.append("Content-ID: \(contentID)") }
        lines += ["", "\(method) \(url) HTTP/1.1"]
        var heads = headers
        if body != nil, !heads.contains(where: { $0.0.lowercased() == "content-type" }) {
            heads.append(("Content-Type", "application/json"))
        }
        lines += heads.map { "\($0.0): \($0.1)" }
        lines.append("")
        return lines.joined(separator: newline) + newline + (body ?? "")
    }
}

/// An item of a multipart batch: a request or a changeset of requests.
enum BatchItem {
    case part(BatchPart)
    case changeset([BatchPart])
}

/// A `multipart/mixed` body; returns the `Content-Type` and the body.
func multipartBatch(_ items: [BatchItem], boundary: String = "batch_36d5c8c6") -> (String, String) {
    let newline = "\r\n"
    var text = ""
    for (index, item) in items.enumerated() {
        switch item {
        case .part(let part):
            text += "--\(boundary)\(newline)\(part.text())\(newline)"
        case .changeset(let parts):
            let inner = "changeset_\(index)_77162fcd"
            text += "--\(boundary)\(newline)Content-Type: multipart/mixed; boundary=\(inner)\(newline)\(newline)"
            for part in parts { text += "--\(inner)\(newline)\(part.text())\(newline)" }
            text += "--\(inner)--\(newline)"
        }
    }
    text += "--\(boundary)--\(newline)"
    return ("multipart/mixed; boundary=\(boundary)", text)
}

/// One answered request of a multipart batch.
struct BatchAnswer: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: String
    var contentID: String?
    /// Whether the answer came inside a changeset.
    var inChangeset: Bool

    var json: JSON { (try? JSON(parsing: body)) ?? .null }
    var description: String { "\(status) id=\(contentID ?? "-") \(body.prefix(200))" }
}

/// The answers of a multipart batch response, changeset answers flattened (``BatchAnswer/inChangeset``).
func parseMultipart(contentType: String, body: String, inChangeset: Bool = false) -> [BatchAnswer] {
    guard let match = contentType.firstMatch(of: /boundary="?([^";]+)"?/) else { return [] }
    let boundary = String(match.1)
    let normalized = body.replacingOccurrences(of: "\r\n", with: "\n")
    var answers: [BatchAnswer] = []
    let chunks = normalized.components(separatedBy: "--\(boundary)")
    for chunk in chunks.dropFirst() {
        if chunk.hasPrefix("--") { break }
        var part = chunk
        if part.hasPrefix("\n") { part.removeFirst() }
        guard let split = part.range(of: "\n\n") else { continue }
        let headers = mimeHeaders(part[..<split.lowerBound])
        let rest = String(part[split.upperBound...])
        let type = headers["content-type"] ?? ""
        if type.lowercased().hasPrefix("multipart/mixed") {
            answers += parseMultipart(contentType: type, body: rest, inChangeset: true)
            continue
        }
        let httpSplit = rest.range(of: "\n\n")
        let head = httpSplit.map { rest[..<$0.lowerBound] } ?? rest[...]
        let payload = httpSplit.map { String(rest[$0.upperBound...]) } ?? ""
        let lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        let statusLine = lines.first.map(String.init) ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        answers.append(
            BatchAnswer(
                status: status,
                headers: mimeHeaders(lines.dropFirst().joined(separator: "\n")[...]),
                body: payload.trimmingCharacters(in: .whitespacesAndNewlines),
                contentID: headers["content-id"],
                inChangeset: inChangeset
            )
        )
    }
    return answers
}

private func mimeHeaders(_ text: Substring) -> [String: String] {
    var headers: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return headers
}

extension TestClientProtocol {
    /// POSTs a multipart `$batch`; returns the response and its answers.
    func multipart(
        _ items: [BatchItem],
        headers: HTTPFields = [:],
        authorization: String? = TestCredentials.adminAuthorization
    ) async throws -> (TestResponse, [BatchAnswer]) {
        let (type, body) = multipartBatch(items)
        let response = try await od(
            .post,
            "$batch",
            body,
            contentType: type,
            headers: headers,
            authorization: authorization
        )
        let answers = parseMultipart(contentType: response.headers[.contentType] ?? "", body: response.text)
        return (response, answers)
    }
}

// MARK: - CSDL XML

/// An element of a parsed XML document.
final class CSDLNode: CustomStringConvertible {
    let name: String
    let attributes: [String: String]
    var children: [CSDLNode] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// Children named `name`.
    func all(_ name: String) -> [CSDLNode] { children.filter { $0.name == name } }

    /// The child named `name` whose `Name` attribute is `value`.
    func child(_ name: String, named value: String) -> CSDLNode? {
        children.first { $0.name == name && $0["Name"] == value }
    }

    /// Every descendant named `name`, depth first.
    func descendants(_ name: String) -> [CSDLNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }

    /// The `Annotation` children's terms.
    var annotationTerms: [String] { all("Annotation").compactMap { $0["Term"] } }

    var description: String {
        "<\(name) \(attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " "))>"
    }

    /// Parses `data`; `nil` if it is not well-formed XML.
    static func parse(_ data: Data) -> CSDLNode? {
        let builder = CSDLTreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }
}

private final class CSDLTreeBuilder: NSObject, XMLParserDelegate {
    var root: CSDLNode?
    private var stack: [CSDLNode] = []

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let node = CSDLNode(name: elementName, attributes: attributes)
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }
}
