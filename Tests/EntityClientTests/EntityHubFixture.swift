import EntityClient
import EntityModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import TestStores
import Testing

/// The schema shared by every test suite: `products` (with the `endsale` and `discontinue` actions),
/// `devops/services/…/environments`, the open `items` and the typed `gadgets`.
let sharedSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/schema.json")

/// Runs `body` with a client of a live EntityHub on 127.0.0.1, over a fresh store of `backend`.
func withEntityHub(
    _ backend: StoreBackend,
    configuration: EntityClient.Configuration = EntityClient.Configuration(),
    _ body: @Sendable (EntityClient) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        let serverConfiguration = ServerConfiguration(
            schema: try Schema(contentsOf: sharedSchemaURL),
            service: .init(accounts: .init(bcryptCost: 4)),
            adminKey: TestCredentials.adminKey
        )
        let app = try await EntityHubServer.makeApplication(
            store: store,
            configuration: serverConfiguration,
            logger: quietLogger
        )
        try await app.test(.live) { testClient in
            let port = try #require(testClient.port)
            try await body(
                try EntityClient(
                    endpoint: "http://127.0.0.1:\(port)",
                    apiKey: TestCredentials.adminAuthorization,
                    configuration: configuration
                )
            )
        }
    }
}

/// Runs `body` with the port of a live server answering with `router`: a stand-in for a misbehaving
/// or slow EntityHub.
func withServer(
    _ router: Router<BasicRequestContext>,
    _ body: @Sendable (Int) async throws -> Void
) async throws {
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        logger: quietLogger
    )
    try await app.test(.live) { testClient in
        try await body(try #require(testClient.port))
    }
}

/// A client configuration that retries quickly, so retry tests take milliseconds.
func fastRetries(_ maximumRetries: Int = 3) -> EntityClient.Configuration {
    EntityClient.Configuration(
        retry: RetryPolicy(
            maximumRetries: maximumRetries,
            initialBackoff: .milliseconds(1),
            maximumBackoff: .milliseconds(5)
        )
    )
}

let quietLogger: Logger = {
    var logger = Logger(label: "EntityClientTests")
    logger.logLevel = .critical
    return logger
}()

/// A product as an application would model it.
struct Product: Codable, Sendable, Equatable {
    var id: String?
    var name: String
    var price: Double?
    var status: String?
    var released: Date?
}

/// Counts the requests a test server received.
actor Counter {
    private(set) var count = 0

    /// Counts one more request and returns the new count.
    func increment() -> Int {
        count += 1
        return count
    }
}

/// Records values (headers, URIs, bodies) a test server received.
actor Recorder<Value: Sendable> {
    private(set) var values: [Value] = []

    func append(_ value: Value) {
        values.append(value)
    }
}

extension JSON {
    /// The entities' ids, in order.
    static func ids(_ entities: [JSON]) -> [String] {
        entities.compactMap(\.entityID)
    }

    /// Whether this is an object with a member `key` (even a null one).
    func has(_ key: String) -> Bool {
        objectValue?.keys.contains(key) ?? false
    }
}

extension AsyncSequence {
    /// Every element, in order.
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
