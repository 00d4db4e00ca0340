import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

@Suite struct QueryTests {
    @Test(arguments: StoreKind.allCases)
    func mixedValuesSortByTypeThenValue(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        // missing (none) / null: -; booleans: e(true); numbers: f(-2.5) h(0) d(1) a(10) b(10.0); strings: c; arrays: g
        let ascending = try await store.ids(Query(sort: [SortKey("v")]))
        #expect(ascending == ["e", "f", "h", "d", "a", "b", "c", "g"])
        let descending = try await store.ids(Query(sort: [SortKey("v", descending: true)]))
        #expect(descending == ["g", "c", "a", "b", "d", "h", "f", "e"])  // ties (a, b) stay by id ascending
        let byFlag = try await store.ids(Query(sort: [SortKey("flag"), SortKey("s", descending: true)]))
        // missing: h g f (s desc: "ÉCLAIR" < "éclair"... by bytes É=C3 89, é=C3 A9) ; false: b; true: a; numbers: d(0) c(1); strings: e
        #expect(byFlag == ["g", "f", "h", "b", "a", "d", "c", "e"])
        #expect(
            try await store.ids(Query(sort: [SortKey("id", descending: true)])) == [
                "h", "g", "f", "e", "d", "c", "b", "a",
            ]
        )
    }

    @Test(arguments: StoreKind.allCases)
    func pagesCarryTheExactTotal(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply(
            (0..<25).map {
                .insert(entity(String(format: "E%02d", $0), ["n": .integer(Int64($0)), "odd": .bool($0 % 2 == 1)]))
            }
        )
        let odd = Filter.compare("odd", .eq, lit("true"))
        let first = try await store.query(Query(filter: odd, limit: 5), in: products)
        #expect(first.entities.map(\.id) == ["E01", "E03", "E05", "E07", "E09"])
        #expect(first.total == 12)
        let last = try await store.query(Query(filter: odd, limit: 5, offset: 10), in: products)
        #expect(last.entities.map(\.id) == ["E21", "E23"])
        #expect(last.total == 12)
        let beyond = try await store.query(Query(filter: odd, limit: 5, offset: 40), in: products)
        #expect(beyond.entities.isEmpty && beyond.total == 12)
        let countOnly = try await store.query(Query(limit: 0), in: products)
        #expect(countOnly.entities.isEmpty && countOnly.total == 25)
        let exact = try await store.query(Query(sort: [SortKey("n", descending: true)], limit: 25), in: products)
        #expect(exact.total == 25 && exact.entities.first?.id == "E24")
    }

    @Test(arguments: StoreKind.allCases)
    func projectionKeepsOnlyTheSelectedValues(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("A", object(#"{"a":{"b":1,"c":2},"d":3,"e":null,"f":"x"}"#)))])
        func values(_ projection: Projection) async throws -> JSON {
            .object(try await store.query(Query(projection: projection), in: products).entities[0].values)
        }
        #expect(
            try await values(Projection(include: ["a.b", "e", "id", "_meta", "zz"])) == json(#"{"a":{"b":1},"e":null}"#)
        )
        #expect(try await values(Projection(include: ["a", "d"], exclude: ["a.c"])) == json(#"{"a":{"b":1},"d":3}"#))
        #expect(try await values(Projection(exclude: ["f", "a.b", "d.x"])) == json(#"{"a":{"c":2},"d":3,"e":null}"#))
        let page = try await store.query(Query(projection: Projection(include: ["d"])), in: products)
        #expect(page.entities[0].id == "A" && page.entities[0].version == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func exactNumbersRoundTripAndCompare(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([
            .insert(entity("A", object(#"{"price":19.99,"id2":9007199254740993,"tiny":1e-7,"huge":1.5e300}"#))),
            .insert(entity("B", object(#"{"price":19.990,"id2":9007199254740992}"#))),
        ])
        let a = try #require(try await store.get("A", in: products))
        #expect(
            JSON.object(a.values).serialized() == #"{"huge":1.5e300,"id2":9007199254740993,"price":19.99,"tiny":1e-7}"#
        )
        #expect(try await store.get("B", in: products)?.values["price"]?.description == "19.990")
        #expect(try await store.ids(.compare("price", .eq, lit("19.99"))) == ["A", "B"])
        #expect(try await store.ids(.compare("id2", .eq, lit("9007199254740993"))) == ["A"])
        #expect(try await store.ids(.compare("id2", .gt, lit("9007199254740992"))) == ["A"])
        #expect(try await store.ids(Query(sort: [SortKey("id2", descending: true)])) == ["A", "B"])
    }
}
