import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// ``Query/readableBy``: the entities a user created or holds a grant on, decided before paging.
extension EntityStoreConformance {
    static let readableByMatchesCreatorsAndGrantees = ConformanceCheck("readableByMatchesCreatorsAndGrantees") {
        makeStore in
        let store = try await freshStore(makeStore)
        let orders = CollectionPath("orders")
        try await store.insert([
            entity("A1", [:], createdBy: "alice"), entity("A2", [:], createdBy: "alice"),
            entity("B1", [:], createdBy: "bob"), entity("B2", [:], createdBy: "bob"),
            entity("B3", [:], createdBy: "bob"), entity("N1", [:]),
            entity("B2", [:], in: orders, createdBy: "bob"), entity("O1", [:], in: orders, createdBy: "alice"),
        ])
        for item in [
            grant("g1", on: "B1", to: "alice", .read), grant("g2", on: "B3", to: "alice", .delete),
            grant("g3", on: "A1", to: "bob", .update), grant("g4", on: "B2", in: orders, to: "alice"),
            grant("g5", on: "B2", to: "alicia"), grant("g6", on: "N1", to: "Alice"),
        ] {
            _ = try await store.saveGrant(item, audit: audit("grant"))
        }
        let cases: [(String?, [String])] = [
            ("alice", ["A1", "A2", "B1", "B3"]),
            ("bob", ["A1", "B1", "B2", "B3"]),
            ("alicia", ["B2"]),
            ("carol", []),
            ("", []),
            ("' OR 1=1 --", []),
            (nil, ["A1", "A2", "B1", "B2", "B3", "N1"]),
        ]
        for (reader, expected) in cases {
            try await expectIDs(store, Query(readableBy: reader), expected)
            // A page of one makes the store count.
            let page = try await store.query(Query(limit: 1, readableBy: reader), in: products)
            try expectEqual(
                page.entities.map(\.id),
                Array(expected.prefix(1)),
                "page of 1 readable by \(reader ?? "nil")"
            )
            try expectEqual(page.total, expected.count, "total readable by \(reader ?? "nil")")
        }
        try await expectIDs(store, Query(readableBy: "alice"), ["B2", "O1"], in: orders)
        try await expectIDs(store, Query(readableBy: "bob"), ["B2"], in: orders)
    }

    /// Many entities match the filter, few are readable: the restriction applies before sorting,
    /// paging, counting and search.
    static let readableByRestrictsFilteredSortedPagedQueries = ConformanceCheck(
        "readableByRestrictsFilteredSortedPagedQueries"
    ) { makeStore in
        let store = try await freshStore(makeStore, schema: productsSchema(indexes: ["status"]))
        let byAlice: Set = [5, 50, 119]
        try await store.insert(
            (0..<120).map { n in
                entity(
                    String(format: "M%03d", n),
                    [
                        "n": .integer(Int64(n)), "status": n % 10 == 9 ? "closed" : "open",
                        "title": n % 3 == 0 ? "red lamp" : "blue chair",
                    ],
                    createdBy: byAlice.contains(n) ? "alice" : "bob"
                )
            }
        )
        for (id, right) in [("M017", AccessRight.read), ("M090", .update), ("M009", .read)] {
            _ = try await store.saveGrant(grant("g-\(id)", on: id, to: "alice", right), audit: audit("grant"))
        }
        _ = try await store.saveGrant(grant("g-carol", on: "M001", to: "carol"), audit: audit("grant"))
        let open = Filter.compare("status", .eq, lit("open"))
        try expectEqual(
            try await store.query(Query(filter: open, limit: 1), in: products).total,
            108,
            "open, by anyone"
        )
        let all = try await store.query(Query(filter: open, readableBy: "alice"), in: products)
        try expectEqual(all.entities.map(\.id), ["M005", "M017", "M050", "M090"], "open, readable by alice")
        try expectEqual(all.total, 4, "total of open readable by alice")
        let sorted = Query(
            filter: open,
            sort: [SortKey("n", descending: true)],
            limit: 2,
            offset: 1,
            readableBy: "alice"
        )
        let page = try await store.query(sorted, in: products)
        try expectEqual(page.entities.map(\.id), ["M050", "M017"], "second and third of n descending")
        try expectEqual(page.total, 4, "total of a sorted page")
        let last = try await store.query(
            Query(filter: open, sort: [SortKey("n")], limit: 3, offset: 3, readableBy: "alice"),
            in: products
        )
        try expectEqual(last.entities.map(\.id), ["M090"], "the last page")
        try expectEqual(last.total, 4, "total of the last page")
        let uncounted: [(limit: Int, offset: Int, ids: [String], total: Int?)] = [
            (2, 0, ["M005", "M017"], nil), (3, 2, ["M050", "M090"], 4), (10, 0, ["M005", "M017", "M050", "M090"], 4),
            (2, 4, [], nil),
        ]
        for item in uncounted {
            let query = Query(
                filter: open,
                limit: item.limit,
                offset: item.offset,
                countsTotal: false,
                readableBy: "alice"
            )
            let result = try await store.query(query, in: products)
            try expectEqual(result.entities.map(\.id), item.ids, "ids without counting, \(item)")
            try expectEqual(result.total, item.total, "total without counting, \(item)")
        }
        let red = try await store.query(Query(search: "red", limit: 1, readableBy: "alice"), in: products)
        try expectEqual(red.entities.map(\.id), ["M009"], "first page of search 'red' readable by alice")
        try expectEqual(red.total, 2, "total of search 'red' readable by alice")
        try await expectIDs(store, Query(filter: open, search: "red", readableBy: "alice"), ["M090"])
        try await expectIDs(store, Query(filter: open, search: "lamp chair", readableBy: "alice"), [])
        try await expectIDs(store, Query(filter: .compare("n", .lt, lit("3")), readableBy: "carol"), ["M001"])
        try await expectIDs(
            store,
            Query(filter: .compare("status", .eq, lit("closed")), readableBy: "alice"),
            ["M009", "M119"]
        )
    }

    /// A grant, a changed grant, a revocation, a removed user and an entity write change what a user
    /// reads at once: the very same query asked again (which a backend may answer from a cache of
    /// totals) sees the change.
    static let readableByFollowsGrantsAndRevocationsAtOnce = ConformanceCheck(
        "readableByFollowsGrantsAndRevocationsAtOnce"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert(
            (1...5).map { entity("E\($0)", ["n": .integer(Int64($0))], createdBy: "bob") }
                + [entity("A1", ["n": 0], createdBy: "alice")]
        )
        try await store.insertUser(user("alice"), audit: audit("user.add"))
        let first = Query(limit: 1, readableBy: "alice")
        let filtered = Query(filter: .compare("n", .ge, lit("0")), limit: 1, readableBy: "alice")
        func expectReadable(_ ids: [String], _ context: String, everyone: Int = 6, line: UInt = #line) async throws {
            for query in [first, filtered] {
                for _ in 0..<2 {
                    let page = try await store.query(query, in: products)
                    try expectEqual(page.entities.map(\.id), Array(ids.prefix(1)), "page \(context)", line: line)
                    try expectEqual(page.total, ids.count, "total \(context)", line: line)
                }
            }
            try await expectIDs(store, Query(readableBy: "alice"), ids, line: line)
            try expectEqual(
                try await store.query(Query(limit: 1), in: products).total,
                everyone,
                "total without readableBy \(context)",
                line: line
            )
        }
        try await expectReadable(["A1"], "at first")
        _ = try await store.saveGrant(grant("g2", on: "E2", to: "alice"), audit: audit("grant"))
        try await expectReadable(["A1", "E2"], "after a grant on E2")
        _ = try await store.saveGrant(grant("g4", on: "E4", to: "alice", .update), audit: audit("grant"))
        try await expectReadable(["A1", "E2", "E4"], "after a grant on E4")
        _ = try await store.saveGrant(grant("g4b", on: "E4", to: "alice", .delete), audit: audit("grant"))
        try await expectReadable(["A1", "E2", "E4"], "after a changed grant on E4")
        _ = try await store.removeGrant(on: "E2", in: products, from: "alice", audit: audit("revoke"))
        try await expectReadable(["A1", "E4"], "after revoking E2")
        _ = try await store.removeUser(id: "alice", transferringTo: nil, audit: audit("user.remove"))
        try await expectReadable(["A1"], "after removing alice (and her grant on E4)")
        try await store.apply([.update(entity("E5", ["n": 5], version: 2, createdBy: "alice"), expectedVersion: 1)])
        try await expectReadable(["A1", "E5"], "after E5 was given to alice")
        _ = try await store.saveGrant(grant("g3", on: "E3", to: "alice"), audit: audit("grant"))
        try await store.apply([.delete(id: "E3", collection: products, expectedVersion: nil)])
        try await expectReadable(["A1", "E5"], "after E3 was granted and deleted", everyone: 5)
    }
}
