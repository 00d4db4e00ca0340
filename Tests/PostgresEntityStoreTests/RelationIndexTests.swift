import EntityModel
import EntityQuery
import EntityStore
import PostgresEntityStore
import TestStores
import Testing

/// OData's filters find their rows through indexes: a field compared with a literal through the
/// field's declared index, a relation's targets through the declared index on the link field.
@Suite struct RelationIndexTests {
    @Test func valueComparisonsAndInverseRelationsUseTheDeclaredIndexes() async throws {
        try await TestDatabase.withStore { store in
            let categories = CollectionPath("categories")
            try await store.prepare(
                for: Schema(collections: [
                    "products": CollectionSchema(indexes: ["categoryId", "status"]), "categories": CollectionSchema(),
                ])
            )
            try await store.apply((0..<200).map { .insert(entity("C\($0)", ["title": "t"], in: categories)) })
            for chunk in stride(from: 0, to: 5000, by: 1000) {
                try await store.apply(
                    (chunk..<(chunk + 1000)).map {
                        .insert(
                            entity(
                                "P\($0)",
                                ["categoryId": .string("C\($0 % 200)"), "status": $0 % 500 == 0 ? "open" : "closed"]
                            )
                        )
                    }
                )
            }
            try await TestDatabase.execute("ANALYZE entities", for: store)

            let open = Query(filter: .compareValues(.field("status"), .eq, .literal("open")), limit: 10)
            let openPlan = try await store.queryPlan(for: open, in: products)
            #expect(usesIndex(openPlan, on: "status"), "\(openPlan.joined(separator: "\n"))")
            #expect(try await store.query(open, in: products).total == 10)

            // Each category's products are found in the index, not by reading every product.
            let relation = Relation(.inverse("categoryId"), target: products)
            let withProducts = Query(filter: .related(relation, where: .and([])), limit: 3)
            let plan = try await store.queryPlan(for: withProducts, in: categories)
            #expect(usesIndex(plan, on: "categoryId"), "\(plan.joined(separator: "\n"))")
            #expect(try await store.query(withProducts, in: categories).entities.map(\.id) == ["C0", "C1", "C10"])
            let withOpen = Query(filter: .related(relation, where: .compare("status", .eq, lit("open"))), limit: 5)
            #expect(try await store.query(withOpen, in: categories).entities.map(\.id) == ["C0", "C100"])
        }
    }
}
