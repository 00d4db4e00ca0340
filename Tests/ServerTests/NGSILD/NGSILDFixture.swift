import EntityModel
import EntityService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NGSILD
import NIOCore
import Server
import TestStores
import Testing

/// Constants of the NGSI-LD tests: paths, contexts, error types.
enum LD {
    /// The base path of the API.
    static let base = "/ngsi-ld/v1"
    /// A user context the test servers serve from memory: `speed` and `Car` under `https://example.org/ctx#`.
    static let userContext = "https://example.org/ctx.jsonld"
    static let userContextDocument: JSON = [
        "@context": ["speed": "https://example.org/ctx#speed", "Car": "https://example.org/ctx#Car"]
    ]
    /// A context no loader of the test servers can obtain.
    static let unreachableContext = "https://unreachable.example.org/ctx.jsonld"
    /// The prefix of the NGSI-LD error types.
    static let errors = "https://uri.etsi.org/ngsi-ld/errors/"
    /// The default vocabulary of the core context.
    static let vocabulary = "https://uri.etsi.org/ngsi-ld/default-context/"

    /// A JSON-LD context `Link` header naming `url`.
    static func link(_ url: String) -> String {
        "<\(url)>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""
    }

    /// The context `Link` header of answers to requests that named no context.
    static let coreLink = link(CoreContext.versionedURL)

    /// The loader of the test servers: the user context from memory, nothing from the network.
    static var preloadedLoader: any ContextLoader {
        PreloadedContextLoader(documents: [userContext: userContextDocument])
    }
}

/// Runs `body` against an in-process EntityHub over a fresh store of `backend`, with the test admin key,
/// the shared schema (or `schema`, a schema document), the NGSI-LD collection `ngsild`, and a context
/// loader that serves ``LD/userContext`` from memory and fails for every other URL.
func withNGSILDServer(
    _ backend: StoreBackend,
    schema: String? = nil,
    maximumBatchSize: Int = 10_000,
    maximumBodySize: Int = 64 * 1024 * 1024,
    contextLoader: any ContextLoader = LD.preloadedLoader,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        let parsedSchema =
            try schema.map { try Schema(json: try JSON(parsing: $0)) } ?? Schema(contentsOf: sharedSchemaURL)
        let configuration = ServerConfiguration(
            schema: parsedSchema,
            service: .init(maximumBatchSize: maximumBatchSize, accounts: .init(bcryptCost: 4)),
            limits: .init(maximumBodySize: 1024 * 1024),
            ngsild: NGSILDSettings(contextLoader: contextLoader, maximumBodySize: maximumBodySize),
            adminKey: TestCredentials.adminKey
        )
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await EntityHubServer.makeApplication(store: store, configuration: configuration, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }
}

/// The schema of an open broker (issue 12, item 7): everyone reads, creates and writes.
let openBrokerSchema = #"""
    {"collections": {"ngsild": {"access": {"read": "public-read", "create": "anyone", "write": "anyone"}}}}
    """#

extension TestClientProtocol {
    /// Sends an NGSI-LD request to `LD.base + path`, signed in as the test admin unless `authorization`
    /// says otherwise (`nil`: anonymous). A body goes as `application/json` unless `contentType` says
    /// otherwise; `link` adds a JSON-LD context `Link` header naming that URL.
    func ld(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ body: String? = nil,
        contentType: String? = nil,
        accept: String? = nil,
        link: String? = nil,
        headers: HTTPFields = [:],
        authorization: String? = TestCredentials.adminAuthorization
    ) async throws -> TestResponse {
        var fields = headers
        if let authorization { fields[.authorization] = authorization }
        if let contentType {
            fields[.contentType] = contentType
        } else if body != nil {
            fields[.contentType] = "application/json"
        }
        if let accept { fields[.accept] = accept }
        if let link { fields[.link] = LD.link(link) }
        return try await execute(
            uri: LD.base + path,
            method: method,
            headers: fields,
            body: body.map { ByteBuffer(string: $0) }
        )
    }

    /// Creates an entity from `body` (application/json, core context); fails the test unless 201.
    func createEntity(
        _ body: String,
        link: String? = nil,
        authorization: String? = TestCredentials.adminAuthorization,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await ld(.post, "/entities", body, link: link, authorization: authorization)
        #expect(response.status == .created, "create: \(response.text)", sourceLocation: sourceLocation)
    }

    /// The `NGSILD-Results-Count` of every NGSI-LD entity the caller may read (`local=true` selects all).
    func storedCount(authorization: String? = TestCredentials.adminAuthorization) async throws -> Int? {
        let response = try await ld(.get, "/entities?local=true&limit=0&count=true", authorization: authorization)
        return response.headers[.ngsildResultsCount].flatMap { Int($0) }
    }
}

extension HTTPField.Name {
    static let link = HTTPField.Name("Link")!
    static let ngsildResultsCount = HTTPField.Name("NGSILD-Results-Count")!
    static let ngsildTenant = HTTPField.Name("NGSILD-Tenant")!
}

extension HTTPResponse.Status {
    /// 207 Multi-Status: a batch or an Append/Update that partly succeeded.
    static let multiStatus = HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status")
}

extension TestResponse {
    /// The ids of a JSON array of entities, in order.
    var orderedIDs: [String] {
        json.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }
}

/// The entity most tests start from: four attributes of three types, with `unitCode` and `observedAt`.
let room1 = #"""
    {"id": "urn:ngsi-ld:Room:1", "type": "Room",
     "temperature": {"type": "Property", "value": 20, "unitCode": "CEL", "observedAt": "2024-01-01T00:00:00.000Z"},
     "name": {"type": "Property", "value": "Kitchen"},
     "isPartOf": {"type": "Relationship", "object": "urn:ngsi-ld:Building:1"},
     "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [13.4, 52.5]}}}
    """#

/// A minimal entity of `type` with a `temperature` Property.
func entity(_ id: String, type: String = "Room", temperature: Int = 20) -> String {
    #"{"id": "\#(id)", "type": "\#(type)", "temperature": {"type": "Property", "value": \#(temperature)}}"#
}

/// Parses `text`, for comparing bodies with what a test expects.
func json(_ text: String) throws -> JSON {
    try JSON(parsing: text)
}

/// Checks that `response` is an NGSI-LD ProblemDetails: `status`, `Content-Type: application/json`, the
/// error `type` (a short NGSI-LD name such as `BadRequestData`, or a full URI), a title, a detail (that
/// contains `detail` when given), the status member and no context `Link`.
func expectProblem(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    _ type: String,
    detail: String? = nil,
    _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let uri = type.contains(":") ? type : LD.errors + type
    let body = response.json
    #expect(
        response.status == status,
        "\(context): expected \(status.code), got \(response.status.code) \(response.text)",
        sourceLocation: sourceLocation
    )
    #expect(response.headers[.contentType] == "application/json", "\(context)", sourceLocation: sourceLocation)
    #expect(body["type"]?.stringValue == uri, "\(context): \(response.text)", sourceLocation: sourceLocation)
    #expect(
        body["title"]?.stringValue?.isEmpty == false,
        "\(context): \(response.text)",
        sourceLocation: sourceLocation
    )
    #expect(
        body["detail"]?.stringValue?.isEmpty == false,
        "\(context): \(response.text)",
        sourceLocation: sourceLocation
    )
    #expect(
        body["status"] == .integer(Int64(status.code)),
        "\(context): \(response.text)",
        sourceLocation: sourceLocation
    )
    #expect(
        response.headers[.link] == nil,
        "\(context): an error carries no context Link",
        sourceLocation: sourceLocation
    )
    if let detail {
        #expect(
            body["detail"]?.stringValue?.contains(detail) == true,
            "\(context): the detail should name \(detail): \(response.text)",
            sourceLocation: sourceLocation
        )
    }
}

/// Checks that `entry` is a `BatchEntityError` for `id` with an error of `type`.
func expectBatchError(
    _ entry: JSON?,
    _ id: String,
    _ type: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let uri = type.contains(":") ? type : LD.errors + type
    #expect(entry?["entityId"]?.stringValue == id, "\(String(describing: entry))", sourceLocation: sourceLocation)
    #expect(
        entry?["error"]?["type"]?.stringValue == uri,
        "\(String(describing: entry))",
        sourceLocation: sourceLocation
    )
    #expect(
        entry?["error"]?["title"]?.stringValue?.isEmpty == false,
        "\(String(describing: entry))",
        sourceLocation: sourceLocation
    )
}

/// A system timestamp as NGSI-LD writes it: UTC, `Z`, milliseconds.
func isTimestamp(_ value: JSON?) -> Bool {
    guard let text = value?.stringValue else { return false }
    return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil
}
