import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

@Suite struct ReferenceIndexTests {
    /// Finding the entities that reference one (on delete, or through an inverse navigation) reads an index.
    @Test(arguments: StoreKind.allCases)
    func everyReferenceFieldIsIndexed(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let reference = FieldSchema(type: .reference, reference: ReferenceSchema(collection: "categories"))
        let schema = Schema(collections: [
            "categories": CollectionSchema(), "products": CollectionSchema(fields: ["categoryId": reference]),
        ])
        try await store.prepare(for: schema)
        try await store.apply((0..<50).map { .insert(entity("P\($0)", ["categoryId": .string("C\($0 % 5)")])) })
        let byCategory = Query(filter: .compare("categoryId", .eq, .json("C1")), limit: 10)
        let plan = try await store.queryPlan(for: byCategory, in: products).joined(separator: "\n")
        #expect(plan.contains("USING INDEX entities_value_"), "\(plan)")
        #expect(try await store.query(byCategory, in: products).total == 10)
    }
}
