import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

/// Concurrent batches stay atomic one by one: a failing batch leaves no trace, the others commit.
@Suite struct ConcurrentBatchTests {
    @Test(arguments: StoreKind.allCases)
    func aFailingBatchFailsAloneWhileConcurrentBatchesCommit(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("taken", ["n": 0]))])
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for batch in 0..<24 {
                group.addTask {
                    var writes: [EntityWrite] = (0..<50).map {
                        .insert(entity("B\(batch)-\($0)", ["n": .integer(Int64($0))]))
                    }
                    // Every third batch ends with a duplicate id: all of it must roll back.
                    if batch % 3 == 0 { writes.append(.insert(entity("taken", ["n": 1]))) }
                    do {
                        try await store.apply(writes)
                        return (batch, true)
                    } catch {
                        return (batch, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (batch, succeeded) in group { outcomes[batch] = succeeded }
            return outcomes
        }
        for batch in 0..<24 {
            #expect(outcomes[batch] == (batch % 3 != 0), "batch \(batch)")
            let stored = try await store.ids(
                Query(filter: .pattern("id", "B\(batch)-*", caseInsensitive: false), limit: 100)
            )
            #expect(stored.count == (batch % 3 == 0 ? 0 : 50), "batch \(batch)")
        }
        #expect(try await store.get("taken", in: products)?.values["n"] == 0)
        let changes = try await store.changes(after: 0, limit: 10_000)
        #expect(changes.count == 1 + 16 * 50)
        #expect(changes.map(\.sequence) == changes.map(\.sequence).sorted())
    }
}
