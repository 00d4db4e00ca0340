import Foundation
import PostgresEntityStore
import PostgresNIO

extension TestDatabase {
    /// Runs `body` with the URL of a new, empty database on the server `ENTITYHUB_TEST_DATABASE_URL`
    /// names (the test fails when it is not set), for an `entityhub serve` process of its own, as the
    /// Python suites do; the database is dropped afterwards, even while connections remain.
    ///
    /// ```swift
    /// try await TestDatabase.withFreshDatabase { url in /* entityhub serve --database url */ }
    /// ```
    package static func withFreshDatabase(_ body: (String) async throws -> Void) async throws {
        let url = try url()
        let name = "entityhub_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        guard var components = URLComponents(string: url) else { throw MalformedDatabaseURL() }
        components.path = "/" + name
        guard let databaseURL = components.string else { throw MalformedDatabaseURL() }
        try await StoreScopeGate.shared.withScope {
            try await administer("CREATE DATABASE \"\(name)\"", url: url)
            do {
                try await body(databaseURL)
            } catch {
                try? await administer("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", url: url)
                throw error
            }
            try await administer("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", url: url)
        }
    }

    /// Runs `sql` (outside a transaction) on a connection of its own to the database of `url`.
    private static func administer(_ sql: String, url: String) async throws {
        let client = PostgresClient(
            configuration: try PostgresEntityStore.clientConfiguration(url: url),
            backgroundLogger: quietLogger
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }
}

/// `ENTITYHUB_TEST_DATABASE_URL` is not a URL whose database name could be replaced.
struct MalformedDatabaseURL: Error, CustomStringConvertible {
    var description: String { "\(TestDatabase.variable) is not a postgres://… URL" }
}
