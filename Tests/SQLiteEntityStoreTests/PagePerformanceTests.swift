import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

/// The plan shapes and caches that keep filtered lists fast on large collections.
@Suite struct PagePerformanceTests {
    @Test(arguments: StoreKind.allCases)
    func equalityOnAnIndexedFieldReadsThePageInIndexOrder(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["status"])]))
        try await store.apply((0..<30).map { .insert(entity("P\($0)", ["status": $0 % 3 == 0 ? "open" : "closed"])) })
        let open = Query(filter: .compare("status", .eq, lit("open")), limit: 4, offset: 2)
        let plan = try await store.queryPlan(for: open, in: products).joined(separator: "\n")
        #expect(plan.contains("USING INDEX entities_value_"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        #expect(try await store.ids(open) == ["P15", "P18", "P21", "P24"])
    }

    @Test(arguments: StoreKind.allCases)
    func totalsStayExactAcrossWrites(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["status"])]))
        try await store.apply((0..<10).map { .insert(entity("P\($0)", ["status": "open"])) })
        let page = Query(filter: .compare("status", .eq, lit("open")), limit: 2, offset: 0)
        #expect(try await store.query(page, in: products).total == 10)
        #expect(try await store.query(page, in: products).total == 10)
        try await store.apply([.insert(entity("P10", ["status": "open"]))])
        #expect(try await store.query(page, in: products).total == 11)
        try await store.apply([.delete(id: "P0", collection: products, expectedVersion: nil)])
        #expect(try await store.query(page, in: products).total == 10)
    }

    @Test(arguments: StoreKind.allCases)
    func readsByIDNeverServeAStaleEntity(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let original = entity("P1", ["status": "open"])
        try await store.apply([.insert(original)])
        #expect(try await store.get("P1", in: products)?.version == 1)
        var changed = original
        changed.values["status"] = "closed"
        changed.version = 2
        try await store.apply([.update(changed, expectedVersion: 1)])
        #expect(try await store.get("P1", in: products)?.values["status"] == "closed")
        let failing: [EntityWrite] = [.update(changed, expectedVersion: 1)]
        await #expect(throws: StoreError.self) { try await store.apply(failing) }
        #expect(try await store.get("P1", in: products)?.version == 2)
        try await store.apply([.delete(id: "P1", collection: products, expectedVersion: 2)])
        #expect(try await store.get("P1", in: products) == nil)
    }
}
