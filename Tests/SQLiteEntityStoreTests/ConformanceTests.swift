import EntityStoreTestKit
import SQLiteEntityStore
import Testing

/// The backend-agnostic conformance suite, run against SQLite in memory and on a file.
///
/// A SQLite store is the one process that owns its database file, so the checks of stores sharing one
/// database get the same store twice: their steps still go through both "stores" in turn.
@Suite struct ConformanceTests {
    @Test(arguments: EntityStoreConformance.checks)
    func conformsInMemory(_ check: ConformanceCheck) async throws {
        try await check.run { try SQLiteEntityStore.inMemory() }
    }

    @Test(arguments: EntityStoreConformance.checks)
    func conformsOnFile(_ check: ConformanceCheck) async throws {
        try await check.run { try StoreKind.file.makeStore() }
    }

    @Test(arguments: EntityStoreConformance.sharedDatabaseChecks)
    func conformsSharingOneDatabaseInMemory(_ check: SharedDatabaseCheck) async throws {
        try await check.run {
            let store = try SQLiteEntityStore.inMemory()
            return (store, store)
        }
    }

    @Test(arguments: EntityStoreConformance.sharedDatabaseChecks)
    func conformsSharingOneDatabaseOnFile(_ check: SharedDatabaseCheck) async throws {
        try await check.run {
            let store = try StoreKind.file.makeStore()
            return (store, store)
        }
    }
}
