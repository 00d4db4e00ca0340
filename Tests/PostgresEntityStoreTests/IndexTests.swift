import EntityModel
import EntityQuery
import EntityStore
import Foundation
import PostgresEntityStore
import TestStores
import Testing

@Suite struct IndexTests {
    @Test func filteredListUsesTheDeclaredIndex() async throws {
        try await TestDatabase.withStore { store in
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
            // Enough rows that a sequential scan is not the cheapest plan anyway.
            for chunk in stride(from: 0, to: 5000, by: 1000) {
                try await store.apply(
                    (chunk..<(chunk + 1000)).map {
                        .insert(
                            entity(
                                "P\($0)",
                                ["status": $0 % 500 == 0 ? "open" : "closed", "price": .integer(Int64($0))]
                            )
                        )
                    }
                )
            }

            let byStatus = Query(filter: .and([.compare("status", .eq, lit("open"))]), limit: 10)
            let plan = try await store.queryPlan(for: byStatus, in: products)
            #expect(usesIndex(plan, on: "status"), "\(plan.joined(separator: "\n"))")
            #expect(try await store.query(byStatus, in: products).total == 10)

            // A common value: the page is read in index order and stops at the limit, never by
            // sorting every match (the planner knows the value check after the hash keeps the rows).
            try await TestDatabase.execute("ANALYZE entities", for: store)
            let common = Query(filter: .compare("status", .eq, lit("closed")), limit: 10, offset: 20)
            let commonPlan = try await store.queryPlan(for: common, in: products)
            #expect(!commonPlan.contains { $0.contains("Sort") }, "\(commonPlan.joined(separator: "\n"))")

            let environments = CollectionPath(namespace: "devops", segments: ["services", "S1", "environments"])
            // Here too, enough rows that the collection alone does not select a handful of rows.
            try await store.apply(
                [.insert(entity("E1", ["stage": "prod"], in: environments))]
                    + (2..<3000).map { .insert(entity("E\($0)", ["stage": .string("s\($0)")], in: environments)) }
            )
            // Statistics of the whole table, so no autovacuum run can leave them half true meanwhile.
            try await TestDatabase.execute("ANALYZE entities", for: store)
            let byStage = Query(filter: .membership("stage", [lit("prod"), lit("test")], negated: false))
            let stagePlan = try await store.queryPlan(for: byStage, in: environments)
            #expect(usesIndex(stagePlan, on: "stage"), "\(stagePlan.joined(separator: "\n"))")
            #expect(try await store.query(byStage, in: environments).entities.map(\.id) == ["E1"])

            // The index holds hashes, so a value of any size can be written to an indexed path.
            let large = (0..<3000).map { _ in UUID().uuidString }.joined()
            try await store.apply([.insert(entity("L", ["status": .string(large)]))])
            let byLarge = Query(filter: .compare("status", .eq, .json(.string(large))))
            #expect(try await store.query(byLarge, in: products).entities.map(\.id) == ["L"])

            let unindexed = try await store.queryPlan(
                for: Query(filter: .compare("color", .eq, lit("red"))),
                in: products
            )
            #expect(!usesIndex(unindexed, on: "color"))

            // Dropping a declaration drops its index.
            try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["price"])]))
            #expect(!usesIndex(try await store.queryPlan(for: byStatus, in: products), on: "status"))
            #expect(try await store.query(byStatus, in: products).total == 10)
        }
    }
}

@Suite struct ReferenceIndexTests {
    /// Finding the entities that reference one (on delete, or through an inverse navigation) reads an index.
    @Test func everyReferenceFieldIsIndexed() async throws {
        try await TestDatabase.withStore { store in
            let reference = FieldSchema(type: .reference, reference: ReferenceSchema(collection: "categories"))
            let schema = Schema(collections: [
                "categories": CollectionSchema(), "products": CollectionSchema(fields: ["categoryId": reference]),
            ])
            try await store.prepare(for: schema)
            for chunk in stride(from: 0, to: 5000, by: 1000) {
                try await store.apply(
                    (chunk..<(chunk + 1000)).map { .insert(entity("P\($0)", ["categoryId": .string("C\($0 % 500)")])) }
                )
            }
            let byCategory = Query(filter: .compare("categoryId", .eq, .json("C1")), limit: 10)
            #expect(usesIndex(try await store.queryPlan(for: byCategory, in: products), on: "categoryId"))
            #expect(try await store.query(byCategory, in: products).total == 10)
        }
    }
}

/// Whether an `EXPLAIN` output looks a top-level `field` up in an index (an `Index Cond` on it).
func usesIndex(_ plan: [String], on field: String) -> Bool {
    plan.contains { $0.contains("Index Cond") && $0.contains("'{\(field)}'") }
}

let products = CollectionPath("products")

/// An entity of `collection` with whole-millisecond timestamps.
func entity(_ id: String, _ values: [String: JSON], in collection: CollectionPath = products) -> Entity {
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    return Entity(collection: collection, id: id, values: values, version: 1, createdAt: date, updatedAt: date)
}

func lit(_ text: String) -> QueryValue { .literal(text, quoted: false) }

@Suite struct PatternTests {
    /// `ilike` lowercases as the Evaluator (Swift's `lowercased()`) does, also where ICU's contextual
    /// rules differ: a word-final capital sigma becomes `σ`, not `ς`.
    @Test func caseInsensitivePatternsLowercaseLikeTheEvaluator() async throws {
        try await TestDatabase.withStore { store in
            let texts = ["ΟΔΟΣ", "οδος", "İSTANBUL", "Straße", "ÉCLAIR"]
            try await store.apply(
                texts.enumerated().map { .insert(entity("T\($0.offset)", ["s": .string($0.element)])) }
            )
            for pattern in ["*σ", "*ς", "i̇*", "i*", "*SS*", "*ß*", "éc*", "*Σ"] {
                let filter = Filter.pattern("s", pattern, caseInsensitive: true)
                let expected = texts.enumerated().filter { Evaluator.matches(filter, ["s": .string($0.element)]) }
                    .map { "T\($0.offset)" }
                let found = try await store.query(Query(filter: filter), in: products).entities.map(\.id)
                #expect(found == expected, "ilike \(pattern)")
            }
        }
    }
}
