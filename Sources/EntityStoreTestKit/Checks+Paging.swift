import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    /// `E00` … `E24`, `n` = 0 … 24, `odd` true for odd `n`.
    private static func numberedStore(_ makeStore: StoreFactory) async throws -> any EntityStore {
        let store = try await freshStore(makeStore)
        try await store.insert(
            (0..<25).map {
                entity(String(format: "E%02d", $0), ["n": .integer(Int64($0)), "odd": .bool($0 % 2 == 1)])
            }
        )
        return store
    }

    static let pagesCarryTheExactTotal = ConformanceCheck("pagesCarryTheExactTotal") { makeStore in
        let store = try await numberedStore(makeStore)
        let odd = Filter.compare("odd", .eq, lit("true"))
        let first = try await store.query(Query(filter: odd, limit: 5), in: products)
        try expectEqual(first.entities.map(\.id), ["E01", "E03", "E05", "E07", "E09"], "first page of odd")
        try expectEqual(first.total, 12, "total of the first page")
        let last = try await store.query(Query(filter: odd, limit: 5, offset: 10), in: products)
        try expectEqual(last.entities.map(\.id), ["E21", "E23"], "last page of odd")
        try expectEqual(last.total, 12, "total of the last page")
        let beyond = try await store.query(Query(filter: odd, limit: 5, offset: 40), in: products)
        try expectEqual(beyond.entities.map(\.id), [], "a page beyond the end")
        try expectEqual(beyond.total, 12, "total of a page beyond the end")
        let countOnly = try await store.query(Query(limit: 0), in: products)
        try expectEqual(countOnly.entities.map(\.id), [], "a page of limit 0")
        try expectEqual(countOnly.total, 25, "total of a page of limit 0")
        let exact = try await store.query(Query(sort: [SortKey("n", descending: true)], limit: 25), in: products)
        try expectEqual(exact.total, 25, "total of a full page")
        try expectEqual(exact.entities.first?.id, "E24", "first of n descending")
        let none = try await store.query(
            Query(filter: .compare("n", .gt, lit("100")), limit: 5, offset: 3),
            in: products
        )
        try expectEqual(none.total, 0, "total of a filter matching nothing")
        try expectEqual(
            try await store.query(Query(limit: 5), in: CollectionPath("empty")).total,
            0,
            "empty collection"
        )
    }

    static let totalsStayExactAcrossWrites = ConformanceCheck("totalsStayExactAcrossWrites") { makeStore in
        let store = try await freshStore(makeStore, schema: productsSchema(indexes: ["status"]))
        try await store.insert((0..<10).map { entity("P\($0)", ["status": "open"]) })
        let page = Query(filter: .compare("status", .eq, lit("open")), limit: 2, offset: 0)
        try expectEqual(try await store.query(page, in: products).total, 10, "total of open")
        try expectEqual(try await store.query(page, in: products).total, 10, "total of open, asked again")
        try await store.insert([entity("P10", ["status": "open"])])
        try expectEqual(try await store.query(page, in: products).total, 11, "total after an insert")
        try await store.apply([.delete(id: "P0", collection: products, expectedVersion: nil)])
        try expectEqual(try await store.query(page, in: products).total, 10, "total after a delete")
        try await store.apply([.update(entity("P1", ["status": "closed"], version: 2), expectedVersion: 1)])
        try expectEqual(try await store.query(page, in: products).total, 9, "total after an update")
        try await expectStoreError(.duplicateID, "a failing batch") {
            try await store.insert([entity("P11", ["status": "open"]), entity("P2", [:])])
        }
        try expectEqual(try await store.query(page, in: products).total, 9, "total after a failed batch")
    }

    /// The rule for ``Query/countsTotal`` = false: a backend need not count, so ``QueryPage/total`` is
    /// `nil` — unless the page itself tells the total: when `limit > 0` and the page is shorter than
    /// the limit, and is not empty or starts at offset 0, the total is `offset + page.count`. A limit
    /// of 0, a full page and an empty page past offset 0 do not tell.
    static let totalWithoutCountingIsNilUnlessThePageTells = ConformanceCheck(
        "totalWithoutCountingIsNilUnlessThePageTells"
    ) { makeStore in
        let store = try await numberedStore(makeStore)
        let odd = Filter.compare("odd", .eq, lit("true"))  // 12 matches
        let cases: [(limit: Int, offset: Int, count: Int, total: Int?)] = [
            (5, 0, 5, nil),  // a full page
            (12, 0, 12, nil),  // a full page that happens to end at the last match
            (5, 10, 2, 12),  // a short page
            (20, 0, 12, 12),  // a short first page
            (5, 12, 0, nil),  // an empty page past offset 0
            (5, 40, 0, nil),
            (0, 0, 0, nil),  // limit 0
        ]
        for item in cases {
            let query = Query(filter: odd, limit: item.limit, offset: item.offset, countsTotal: false)
            let page = try await store.query(query, in: products)
            try expectEqual(page.entities.count, item.count, "entities of limit \(item.limit) offset \(item.offset)")
            try expectEqual(page.total, item.total, "total without counting, limit \(item.limit) offset \(item.offset)")
            let counted = try await store.query(
                Query(filter: odd, limit: item.limit, offset: item.offset),
                in: products
            )
            try expectEqual(counted.total, 12, "total with counting, limit \(item.limit) offset \(item.offset)")
        }
        // A filter matching nothing: an empty page at offset 0 tells the total, 0.
        let none = try await store.query(
            Query(filter: .compare("n", .gt, lit("100")), limit: 5, countsTotal: false),
            in: products
        )
        try expectEqual(none.total, 0, "total without counting of an empty first page")
    }

    static let offsetPagingVisitsEveryMatchOnce = ConformanceCheck("offsetPagingVisitsEveryMatchOnce") { makeStore in
        let store = try await freshStore(makeStore)
        var random = SplitMix64(seed: 42)
        let groups: [JSON] = ["red", "green", "blue", .null, 1, json("2.5")]
        let entities = (0..<97).map { index in
            var values: [String: JSON] = ["rank": .integer(Int64(random.next() % 4))]
            if random.next() % 5 != 0 { values["group"] = groups[Int(random.next() % UInt64(groups.count))] }
            return entity("E\(1000 - index * 7)", values)  // ids not in insertion order
        }
        try await store.insert(entities)
        let documents = entities.map(\.document)
        let filters: [Filter?] = [nil, .compare("rank", .ge, lit("1")), .not(.compare("group", .eq, lit("red")))]
        let sorts: [[SortKey]] = [
            [], [SortKey("group")], [SortKey("group", descending: true), SortKey("rank")],
            [SortKey("rank", descending: true)],
        ]
        for filter in filters {
            for sort in sorts {
                for pageSize in [1, 7, 25] {
                    var seen: [String] = []
                    var offset = 0
                    while true {
                        let query = Query(filter: filter, sort: sort, limit: pageSize, offset: offset)
                        let page = try await store.query(query, in: products)
                        seen += page.entities.map(\.id)
                        if page.entities.count < pageSize { break }
                        offset += pageSize
                        try expect(offset <= 200, "paging \(query) does not end")
                    }
                    let all = Query(filter: filter, sort: sort, limit: 1000)
                    let expected = Evaluator.run(all, over: documents, searchFields: []).page
                    try expectEqual(
                        seen,
                        expected.compactMap { $0["id"]?.stringValue },
                        "ids walking pages of \(pageSize) over \(all) (ties broken by id)"
                    )
                }
            }
        }
    }

    static let keysetPagingVisitsEveryMatchOnce = ConformanceCheck("keysetPagingVisitsEveryMatchOnce") { makeStore in
        let store = try await freshStore(makeStore)
        let ids = (0..<60).map { "K-\(String(format: "%03d", ($0 * 37) % 60))-\($0 % 3 == 0 ? "é" : "e")" }
        try await store.insert(ids.enumerated().map { entity($1, ["n": .integer(Int64($0 % 4))]) })
        for filter in [nil, Filter.compare("n", .ne, lit("2"))] {
            var seen: [String] = []
            var last: String?
            while true {
                var parts: [Filter] = filter.map { [$0] } ?? []
                if let last { parts.append(.compare("id", .gt, quoted(last))) }
                let query = Query(filter: .and(parts), limit: 8, countsTotal: false)
                let page = try await store.query(query, in: products)
                seen += page.entities.map(\.id)
                guard let next = page.entities.last?.id, page.entities.count == 8 else { break }
                last = next
                try expect(seen.count <= 60, "keyset paging with \(query) does not end")
            }
            let expected = ids.enumerated().filter { filter == nil || $0.offset % 4 != 2 }.map(\.element)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            try expectEqual(seen, expected, "ids walking keyset pages of 8 with filter \(String(describing: filter))")
        }
    }
}
