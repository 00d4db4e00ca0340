import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

/// A deterministic random source, so a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random documents and queries over a small pool of tricky values.
struct QueryFuzzer {
    var random: SplitMix64

    static let values: [JSON] = [
        0, 1, 10, -3, 9_007_199_254_740_993, json("10.0"), json("2.5"), json("-0.5"), json("1e2"),
        true, false, .null, "", "a", "A", "abc", "10", "1", "true", "é", "É", "éclair", "Crème brûlée",
        "x*y", "[x]", "a b", "100%", "_", json("[]"), json("[1]"), json(#"["a"]"#), json("{}"), json(#"{"k":1}"#),
    ]
    static let fields = ["f", "g", "h"]
    static let words = ["crème", "brûlée", "apple", "app", "banana", "éclair", "zeta"]

    mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func document() -> [String: JSON] {
        var values: [String: JSON] = [:]
        for field in Self.fields where chance(80) { values[field] = pick(Self.values) }
        if chance(50) { values["o"] = .object(["k": pick(Self.values)]) }
        if chance(70) {
            values["text"] = .string((0..<3).map { _ in pick(Self.words) }.joined(separator: " "))
        }
        return values
    }

    mutating func literal() -> QueryValue {
        if chance(60) { return .json(pick(Self.values)) }
        return .literal(pick(["10", "1", "0", "a", "true", "2.5", "x*y", "é", "1e1"]), quoted: chance(30))
    }

    mutating func path() -> FieldPath {
        pick(["f", "g", "h", "o.k", "o", "missing", "id", "_meta.version", "f.x"])
    }

    mutating func filter(depth: Int = 0) -> Filter {
        switch random.next() % (depth < 3 ? 9 : 6) {
        case 0: return .compare(path(), pick(ComparisonOperator.allCases), literal())
        case 1:
            return .pattern(
                path(),
                pick(["a*", "*a*", "É*", "é*", "x[*]y", "x*y", "1*", "*", "A*C", "_", "100%"]),
                caseInsensitive: chance(50)
            )
        case 2: return .membership(path(), (0..<(random.next() % 3)).map { _ in literal() }, negated: chance(50))
        case 3: return .isNull(path(), negated: chance(50))
        case 4: return .isEmpty(path(), negated: chance(50))
        case 5: return .compare(path(), .eq, literal())
        case 6: return .and((0..<(random.next() % 3)).map { _ in filter(depth: depth + 1) })
        case 7: return .or((0..<(random.next() % 3)).map { _ in filter(depth: depth + 1) })
        default: return .not(filter(depth: depth + 1))
        }
    }

    mutating func query() -> Query {
        let sort = (0..<(random.next() % 3)).map { _ in SortKey(path(), descending: chance(50)) }
        let search = chance(20) ? pick(["app", "crem bru", "É", "zeta apple", "ban-an", "*"]) : nil
        return Query(
            filter: chance(90) ? filter() : nil,
            sort: sort,
            search: search,
            limit: Int(random.next() % 8),
            offset: Int(random.next() % 4)
        )
    }
}

@Suite struct OracleTests {
    @Test(arguments: StoreKind.allCases)
    func sqlAgreesWithTheEvaluator(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        var fuzzer = QueryFuzzer(random: SplitMix64(state: 20_240_601))
        let entities = (0..<60).map { index in entity(String(format: "E%02d", index), fuzzer.document()) }
        try await store.apply(entities.map { .insert($0) })
        let documents = entities.map(\.document)
        for _ in 0..<400 {
            let query = fuzzer.query()
            let expected = Evaluator.run(query, over: documents, searchFields: [])
            let page = try await store.query(query, in: products)
            #expect(page.entities.map(\.id) == expected.page.map { $0["id"]?.stringValue ?? "" }, "\(query)")
            #expect(page.total == expected.total, "\(query)")
        }
    }
}
