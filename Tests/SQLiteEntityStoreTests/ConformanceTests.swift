import EntityStoreTestKit
import SQLiteEntityStore
import Testing

/// The backend-agnostic conformance suite, run against SQLite in memory and on a file.
@Suite struct ConformanceTests {
    @Test(arguments: EntityStoreConformance.checks)
    func conformsInMemory(_ check: ConformanceCheck) async throws {
        try await check.run { try SQLiteEntityStore.inMemory() }
    }

    @Test(arguments: EntityStoreConformance.checks)
    func conformsOnFile(_ check: ConformanceCheck) async throws {
        try await check.run { try StoreKind.file.makeStore() }
    }
}
