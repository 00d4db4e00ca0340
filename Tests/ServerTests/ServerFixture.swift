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

/// The schema shared by every test suite (and the Python client tests).
let sharedSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/schema.json")

/// Runs `body` against an in-process EntityHub over a fresh store of `backend`, started with the test
/// admin key, the shared schema (unless `schema` names another file) and fast password hashing.
func withServer(
    _ backend: StoreBackend,
    schema: URL = sharedSchemaURL,
    accounts: Accounts.Configuration = .init(bcryptCost: 4),
    limits: RESTLimits = .init(maximumBodySize: 1024 * 1024),
    configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        var configuration = ServerConfiguration(
            schema: try Schema(contentsOf: schema),
            service: .init(accounts: accounts),
            limits: limits,
            adminKey: TestCredentials.adminKey
        )
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await EntityHubServer.makeApplication(store: store, configuration: configuration, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body and returns the response; signed in as the test
    /// admin unless `authorization` says otherwise (`nil`: anonymous).
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        headers: HTTPFields = [:],
        authorization: String? = TestCredentials.adminAuthorization
    ) async throws -> TestResponse {
        var fields = headers
        if let authorization, fields[.authorization] == nil { fields[.authorization] = authorization }
        if json != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var json: JSON { (try? JSON(parsing: Array(body.readableBytesView))) ?? .null }
    var text: String { String(buffer: body) }
    var errorCode: String? { json["error_code"]?.stringValue }
    var errors: [String] { json["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
}
