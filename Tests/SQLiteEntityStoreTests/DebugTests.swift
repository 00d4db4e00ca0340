import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

@Test func debugPlan() async throws {
    let store = try StoreKind.file.makeStore()
    try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["status", "price"])]))
    let q = Query(filter: .compare("status", .eq, lit("open")), limit: 10)
    print("PLAN0", try await store.queryPlan(for: q, in: products))
    try await store.apply((0..<50).map { .insert(entity("P\($0)", ["status": $0 % 5 == 0 ? "open" : "closed", "price": .integer(Int64($0))])) })
    print("PLAN1", try await store.queryPlan(for: q, in: products))
}
