import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// A schema with indexes and search fields on top-level, nested and namespaced collections.
    static let indexedSchema = Schema(
        namespaces: [
            "devops": NamespaceSchema(collections: [
                "services": CollectionSchema(
                    indexes: ["owner.name"],
                    collections: ["environments": CollectionSchema(indexes: ["stage"], searchFields: ["stage"])]
                )
            ])
        ],
        collections: ["products": CollectionSchema(indexes: ["status", "price", "id", "_meta.version"])],
        isOpen: true
    )

    static let prepareIsSafeToCallTwice = ConformanceCheck("prepareIsSafeToCallTwice") { makeStore in
        let store = try await freshStore(makeStore, schema: indexedSchema)
        try await store.prepare(for: indexedSchema)
        let environments = CollectionPath(namespace: "devops", segments: ["services", "S1", "environments"])
        let written = (0..<50).map {
            entity("P\($0)", ["status": $0 % 5 == 0 ? "open" : "closed", "price": .integer(Int64($0))])
        }
        try await store.insert(written + [entity("E1", ["stage": "prod"], in: environments)])
        try await store.prepare(for: indexedSchema)
        for item in written.prefix(3) { try await expectStored(item, in: store) }
        let open = Query(filter: .and([.compare("status", .eq, lit("open"))]), limit: 4)
        let page = try await store.query(open, in: products)
        try expectEqual(page.entities.map(\.id), ["P0", "P10", "P15", "P20"], "ids of status = open")
        try expectEqual(page.total, 10, "total of status = open")
        try await expectIDs(
            store,
            Query(filter: .compare("price", .gt, lit("45")), sort: [SortKey("price")]),
            ["P46", "P47", "P48", "P49"]
        )
        try await expectIDs(
            store,
            .membership("stage", [lit("prod"), lit("test")], negated: false),
            ["E1"],
            in: environments
        )
        try await expectIDs(store, Query(search: "pro"), ["E1"], in: environments)
        // Dropping declarations keeps every entity and every answer.
        try await store.prepare(for: .open)
        try await store.prepare(for: .open)
        try expectEqual(try await store.query(open, in: products).total, 10, "total of status = open, no indexes")
        try expectEqual(try await store.changes(after: 0, limit: 100).count, 51, "changes after preparing again")
    }

    static let declaredIndexesDoNotChangeResults = ConformanceCheck("declaredIndexesDoNotChangeResults") { makeStore in
        let indexes = ["f", "g", "h", "o.k", "o", "text", "missing", "f.x"]
        try await randomQueries(seed: 31_337, queries: 150, indexes: indexes).run(makeStore)
        try await randomQueries(seed: 31_337, queries: 150, searchFields: ["text"], indexes: ["f", "text"]).run(
            makeStore
        )
    }
}
