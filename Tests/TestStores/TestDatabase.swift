import EntityStore
import EntityStoreTestKit
import Foundation
import Logging
import PostgresEntityStore
import PostgresNIO

/// Fresh, empty Postgres stores for tests, each in a new schema of the database named by
/// `ENTITYHUB_TEST_DATABASE_URL`; when the test's body returns, their connection pools stop and their
/// schemas are dropped.
package enum TestDatabase {
    package static let variable = "ENTITYHUB_TEST_DATABASE_URL"

    /// The database URL; a test fails (never skips silently) when it is not set.
    package static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw MissingDatabase()
        }
        return url
    }

    /// Runs `body` with a factory of fresh stores, then stops them and drops their schemas.
    package static func withStores(_ body: (@escaping StoreFactory) async throws -> Void) async throws {
        let url = try url()
        try await StoreScopeGate.shared.withScope {
            let running = RunningStores()
            do {
                try await body { try makeStore(url: url, running: running) }
            } catch {
                await tearDown(running, url: url)
                throw error
            }
            await tearDown(running, url: url)
        }
    }

    /// Runs `body` with one fresh store, then stops it and drops its schema.
    package static func withStore(_ body: (PostgresEntityStore) async throws -> Void) async throws {
        try await withStores { makeStore in
            guard let store = try await makeStore() as? PostgresEntityStore else { return }
            try await body(store)
        }
    }

    /// Runs `body` with `count` stores on one fresh schema, each with its own connection pool: the
    /// stores of several EntityHub processes sharing one database.
    package static func withSharedStores(_ count: Int, _ body: ([PostgresEntityStore]) async throws -> Void)
        async throws
    {
        let url = try url()
        try await StoreScopeGate.shared.withScope {
            try await withSharedStores(count, url: url, body)
        }
    }

    /// Runs `body` with a factory of pairs of stores, each pair on one fresh schema with a connection
    /// pool per store (the ``SharedStoreFactory`` of ``EntityStoreConformance/sharedDatabaseChecks``),
    /// then stops them all and drops their schemas.
    package static func withSharedStorePairs(_ body: (@escaping SharedStoreFactory) async throws -> Void)
        async throws
    {
        let url = try url()
        try await StoreScopeGate.shared.withScope {
            let running = RunningStores()
            do {
                try await body {
                    let stores = try makeSharedStores(2, url: url, running: running)
                    return (stores[0], stores[1])
                }
            } catch {
                await tearDown(running, url: url)
                throw error
            }
            await tearDown(running, url: url)
        }
    }

    private static func withSharedStores(
        _ count: Int,
        url: String,
        _ body: ([PostgresEntityStore]) async throws -> Void
    ) async throws {
        let running = RunningStores()
        do {
            try await body(try makeSharedStores(count, url: url, running: running))
        } catch {
            await tearDown(running, url: url)
            throw error
        }
        await tearDown(running, url: url)
    }

    /// `count` running stores on one new schema, which `running` drops when it stops them.
    private static func makeSharedStores(_ count: Int, url: String, running: RunningStores) throws
        -> [PostgresEntityStore]
    {
        let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let stores = try (0..<count).map { _ in
            try PostgresEntityStore(url: url, configuration: testConfiguration(schema: schema), logger: quietLogger)
        }
        for store in stores { running.start(store, schema: store === stores[0] ? schema : nil) }
        return stores
    }

    /// Runs `sql` on a connection of its own whose `search_path` is the schema of `store`.
    package static func execute(_ sql: String, for store: PostgresEntityStore) async throws {
        var configuration = try PostgresEntityStore.clientConfiguration(url: try url())
        if let schema = store.configuration.schema {
            configuration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }

    /// A store of `schema` that waits up to a minute for a pooled connection: every suite runs at once
    /// on two cores, and a wait there is load, not an outage (UnavailableTests sets its own timeout).
    private static func testConfiguration(schema: String) -> PostgresEntityStore.Configuration {
        .init(schema: schema, connectionWaitTimeout: .seconds(60))
    }

    private static func makeStore(url: String, running: RunningStores) throws -> PostgresEntityStore {
        let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let store = try PostgresEntityStore(
            url: url,
            configuration: testConfiguration(schema: schema),
            logger: quietLogger
        )
        running.start(store, schema: schema)
        return store
    }

    private static func tearDown(_ running: RunningStores, url: String) async {
        let schemas = running.stopAll()
        guard !schemas.isEmpty, let configuration = try? PostgresEntityStore.clientConfiguration(url: url) else {
            return
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
        await withDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            for schema in schemas {
                let drop = "DROP SCHEMA IF EXISTS " + PostgresEntityStore.quotedIdentifier(schema) + " CASCADE"
                _ = try? await client.query(PostgresQuery(unsafeSQL: drop))
            }
            group.cancelAll()
        }
    }

    package static let quietLogger: Logger = {
        var logger = Logger(label: "PostgresEntityStoreTests")
        logger.logLevel = .warning
        return logger
    }()

    package struct MissingDatabase: Error, CustomStringConvertible {
        package var description: String {
            "\(TestDatabase.variable) is not set: the Postgres store tests need a PostgreSQL 15 server, e.g. "
                + "\(TestDatabase.variable)=postgres://entityhub@127.0.0.1:55432/postgres swift test "
                + "--filter PostgresEntityStoreTests, or scripts/with-test-postgres swift test"
        }
    }
}
