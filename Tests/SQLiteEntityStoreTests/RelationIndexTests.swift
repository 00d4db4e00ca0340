import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

/// OData's filters find their rows through indexes: a field compared with a literal through the
/// field's declared index, a relation's target by its key or by the declared index on the link field.
@Suite struct RelationIndexTests {
    static let categories = CollectionPath("categories")

    func store(_ kind: StoreKind) async throws -> SQLiteEntityStore {
        let store = try kind.makeStore()
        try await store.prepare(
            for: Schema(collections: [
                "products": CollectionSchema(indexes: ["categoryId", "status"]), "categories": CollectionSchema(),
            ])
        )
        try await store.apply(
            (0..<20).map { .insert(entity("C\($0)", ["title": .string("t\($0 % 4)")], in: Self.categories)) }
                + (0..<200).map {
                    .insert(
                        entity(
                            "P\($0)",
                            ["categoryId": .string("C\($0 % 20)"), "status": $0 % 50 == 0 ? "open" : "closed"]
                        )
                    )
                }
        )
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func valueComparisonsWithLiteralsUseTheFieldIndex(kind: StoreKind) async throws {
        let store = try await store(kind)
        let open = Query(filter: .compareValues(.literal("open"), .eq, .field("status")))
        let plan = try await store.queryPlan(for: open, in: products).joined(separator: "\n")
        #expect(plan.contains("USING INDEX entities_value_"), "\(plan)")
        #expect(try await store.ids(open) == ["P0", "P100", "P150", "P50"])
    }

    @Test(arguments: StoreKind.allCases)
    func inverseRelationsLookTargetsUpInTheLinkFieldIndex(kind: StoreKind) async throws {
        let store = try await store(kind)
        func withOpenProducts(readableBy reader: String?) -> Query {
            let relation = Relation(.inverse("categoryId"), target: products, readableBy: reader)
            return Query(filter: .related(relation, where: .compare("status", .eq, lit("open"))), limit: 5)
        }
        let plan = try await store.queryPlan(for: withOpenProducts(readableBy: "ann"), in: Self.categories)
            .joined(separator: "\n")
        #expect(plan.contains("SEARCH entityhub_related1 USING INDEX entities_value_"), "\(plan)")
        #expect(try await store.ids(withOpenProducts(readableBy: nil), in: Self.categories) == ["C0", "C10"])
        #expect(try await store.ids(withOpenProducts(readableBy: "ann"), in: Self.categories) == [])
    }

    @Test(arguments: StoreKind.allCases)
    func referencesLookTheirTargetUpByKey(kind: StoreKind) async throws {
        let store = try await store(kind)
        let category = Relation(.reference("categoryId"), target: Self.categories)
        let query = Query(filter: .related(category, where: .compare("title", .eq, lit("t3"))), limit: 3)
        let plan = try await store.queryPlan(for: query, in: products).joined(separator: "\n")
        #expect(
            plan.contains("SEARCH entityhub_related1 USING INDEX sqlite_autoindex_entities_1 (collection=? AND id=?)"),
            "\(plan)"
        )
        #expect(try await store.ids(query) == ["P103", "P107", "P11"])
    }
}
