import EntityStore
import PostgresEntityStore
import SQLiteEntityStore

/// The storage backends that suites above the store run against, so that what a user sees through
/// the service, the REST API and the client is checked on every backend.
///
/// ```swift
/// @Test(arguments: StoreBackend.allCases)
/// func createReadsBack(_ backend: StoreBackend) async throws {
///     try await backend.withFreshStore { store in … }
/// }
/// ```
package enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    /// ``SQLiteEntityStore`` in memory.
    case sqlite
    /// ``PostgresEntityStore`` in a fresh schema of `ENTITYHUB_TEST_DATABASE_URL` (the test fails when it
    /// is not set), dropped afterwards.
    case postgres

    package var description: String { rawValue }

    /// Runs `body` with a new, empty store of this backend; stops and removes the store afterwards.
    package func withFreshStore(_ body: (any EntityStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(try SQLiteEntityStore.inMemory())
        case .postgres:
            try await TestDatabase.withStore { store in try await body(store) }
        }
    }
}
