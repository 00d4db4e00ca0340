import TestStores
import Testing

@testable import EntityStoreTestKit

/// Checks beyond the shared suite: more random seeds, and exact numbers beyond `Double` precision
/// (left out of ``EntityStoreConformance/checks`` because SQLite fails it; Postgres compares
/// `numeric` exactly).
@Suite struct OracleTests {
    @Test(arguments: [1, 2, 3, 42, 2024] as [UInt64])
    func randomQueriesAgreeWithTheEvaluator(seed: UInt64) async throws {
        try await TestDatabase.withStores { makeStore in
            try await EntityStoreConformance.randomQueries(seed: seed, queries: 400).run(makeStore)
            try await EntityStoreConformance.randomQueries(
                seed: seed,
                queries: 200,
                searchFields: ["text", "o.k"],
                indexes: ["f", "g", "o.k"]
            ).run(makeStore)
        }
    }

    @Test func numbersCompareExactlyBeyondDoublePrecision() async throws {
        try await TestDatabase.withStores { makeStore in
            try await EntityStoreConformance.numbersCompareExactlyBeyondDoublePrecision.run(makeStore)
        }
    }
}
