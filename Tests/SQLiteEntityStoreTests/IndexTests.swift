import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

@Suite struct IndexTests {
    @Test(arguments: StoreKind.allCases)
    func filteredListUsesTheDeclaredIndex(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let schema = Schema(
            namespaces: [
                "devops": NamespaceSchema(collections: [
                    "services": CollectionSchema(
                        indexes: ["owner.name"],
                        collections: ["environments": CollectionSchema(indexes: ["stage"])]
                    )
                ])
            ],
            collections: ["products": CollectionSchema(indexes: ["status", "price"])]
        )
        try await store.prepare(for: schema)
        try await store.prepare(for: schema)  // idempotent
        try await store.apply(
            (0..<50).map {
                .insert(entity("P\($0)", ["status": $0 % 5 == 0 ? "open" : "closed", "price": .integer(Int64($0))]))
            }
        )

        let byStatus = Query(filter: .and([.compare("status", .eq, lit("open"))]), sort: [], limit: 10)
        let plan = try await store.queryPlan(for: byStatus, in: products).joined(separator: "\n")
        #expect(plan.contains("USING INDEX entities_value_"), "\(plan)")
        #expect(try await store.query(byStatus, in: products).total == 10)

        let byPrice = Query(filter: .compare("price", .gt, lit("40")), sort: [SortKey("price")])
        #expect(try await store.queryPlan(for: byPrice, in: products).joined().contains("USING INDEX entities_value_"))
        #expect(try await store.ids(byPrice) == (41..<50).map { "P\($0)" })

        let environments = CollectionPath(namespace: "devops", segments: ["services", "S1", "environments"])
        let byStage = Query(filter: .membership("stage", [lit("prod"), lit("test")], negated: false))
        #expect(
            try await store.queryPlan(for: byStage, in: environments).joined().contains("USING INDEX entities_value_")
        )

        let unindexed = try await store.queryPlan(for: Query(filter: .compare("color", .eq, lit("red"))), in: products)
        #expect(!unindexed.joined().contains("entities_value_"))

        // Dropping a declaration drops its index.
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["price"])]))
        #expect(!(try await store.queryPlan(for: byStatus, in: products).joined().contains("entities_value_")))
        #expect(try await store.query(byStatus, in: products).total == 10)
    }
}
