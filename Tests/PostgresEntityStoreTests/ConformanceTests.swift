import EntityStore
import EntityStoreTestKit
import Foundation
import PostgresEntityStore
import TestStores
import Testing

/// The backend-agnostic conformance suite, run against PostgreSQL.
///
/// Needs a server: set `ENTITYHUB_TEST_DATABASE_URL` (e.g. `postgres://entityhub@127.0.0.1:55432/postgres`).
/// Every store lives in a schema of its own, so checks run in parallel on one database.
@Suite struct ConformanceTests {
    @Test(arguments: EntityStoreConformance.checks)
    func conforms(_ check: ConformanceCheck) async throws {
        try await TestDatabase.withStores { makeStore in try await check.run(makeStore) }
    }
}
