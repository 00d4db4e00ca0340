import EntityStore
import EntityStoreTestKit
import Foundation
import Logging
import PostgresEntityStore
import Testing

/// Fresh, empty Postgres stores for tests, each in a new schema of the database named by
/// `ENTITYHUB_TEST_DATABASE_URL`; their connection pools run until the test's body returns.
enum TestDatabase {
    static let variable = "ENTITYHUB_TEST_DATABASE_URL"

    /// The database URL; a test fails (never skips silently) when it is not set.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw MissingDatabase()
        }
        return url
    }

    /// Runs `body` with a factory of fresh stores, then stops their connection pools.
    static func withStores(_ body: (@escaping StoreFactory) async throws -> Void) async throws {
        let url = try url()
        let running = RunningStores()
        defer { running.stopAll() }
        try await body { try makeStore(url: url, running: running) }
    }

    /// Runs `body` with one fresh store, then stops its connection pool.
    static func withStore(_ body: (PostgresEntityStore) async throws -> Void) async throws {
        let url = try url()
        let running = RunningStores()
        defer { running.stopAll() }
        try await body(try makeStore(url: url, running: running))
    }

    private static func makeStore(url: String, running: RunningStores) throws -> PostgresEntityStore {
        let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var logger = Logger(label: "PostgresEntityStoreTests")
        logger.logLevel = .warning
        let store = try PostgresEntityStore(url: url, configuration: .init(schema: schema), logger: logger)
        running.start(store)
        return store
    }

    struct MissingDatabase: Error, CustomStringConvertible {
        var description: String {
            "\(TestDatabase.variable) is not set: the Postgres store tests need a PostgreSQL 15 server, e.g. "
                + "\(TestDatabase.variable)=postgres://entityhub@127.0.0.1:55432/postgres swift test "
                + "--filter PostgresEntityStoreTests"
        }
    }
}
