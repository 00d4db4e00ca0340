import EntityModel
import EntityQuery

/// Random entity values and queries over a small pool of tricky values (numbers written several
/// ways, look-alike strings, `null`, empty containers, …), for comparing a store with the
/// ``Evaluator``.
///
/// The same seed always gives the same documents and queries:
///
/// ```swift
/// var fuzzer = QueryFuzzer(seed: 20_240_601)
/// let values = (0..<60).map { _ in fuzzer.document() }
/// let query = fuzzer.query()
/// ```
public struct QueryFuzzer: Sendable {
    /// The random source; its state advances with every value drawn.
    public var random: SplitMix64
    /// Whether a filter being drawn is inside a ``Filter/related(_:where:)``: relations are not
    /// nested in one another, whose cost grows as the pool's size to the power of the depth (nested
    /// relations are checked on purpose by the conformance checks, on few entities).
    private var inRelation = false

    /// A fuzzer whose documents and queries are fixed by `seed`.
    public init(seed: UInt64) {
        self.random = SplitMix64(seed: seed)
    }

    static let values: [JSON] = [
        0, 1, 10, -3, 9_007_199_254_740_993, json("10.0"), json("2.5"), json("-0.5"), json("1e2"), json("1e400"),
        true, false, .null, "", " ", #""""#, "a", "A", "abc", "10", "1", "true", "é", "É", "éclair", "Crème brûlée",
        "x*y", "[x]", "a b", "100%", "_", "z", json("[]"), json("[1]"), json(#"["a"]"#), json("{}"),
        json(#"{"k":1}"#),
        // Date-times (also invalid ones and look-alikes), regex traps, NGSI-LD-like nesting.
        "2020-09-09T16:40:00Z", "2020-09-09T18:40:00.000+02:00", "2020-09-09T16:40:00.5Z", "2020-09-09T16:40:00",
        "2020-09-09T16:40:00.50Z", "1970-01-01T00:00:00.000001Z", json(#"["1970-01-01T00:00:00Z","x"]"#),
        "2021-02-29T00:00:00Z", "1969-12-31T23:59:59.9-00:30", "abc\n", "a\r\nb", "urn:ngsi-ld:Building:42",
        json(#"[{"value":1},{"value":"a"},"2020-09-09T16:40:00Z"]"#), json("[[1,10],[true]]"),
        json(#"{"en":"Tower","fr":"Tour","value":10}"#), json(#"[{"k":"abc"},{"k":[1,"a"]}]"#),
    ]
    static let patterns = [
        "^a", "a$", "c$", "^$", "a.b", "^[0-9]+$", "[[:upper:]]", "[[:punct:]]", "x|y", "(ab)+c", "b{2}", ".",
        "^.{3}$", "^urn:ngsi-ld:[A-Za-z]+:", "é", "c\\*d", "[^a-z]", "T16:40",
    ]
    static let instants = [
        "2020-09-09T16:40:00Z", "2020-09-09T16:40:00.5Z", "2020-09-09T16:39:59.999+00:00", "1970-01-01T00:00:00Z",
        "1969-12-31T23:30:00Z", "2020-09-09T18:40:00.0000001+02:00", "2023-11-14T22:14:00Z",
    ].compactMap(ISO8601Instant.init)
    static let elementPaths: [FieldPath] = [.root, .root, "value", "k", "en", "missing"]
    static let fields = ["f", "g", "h"]
    static let words = ["crème", "brûlée", "apple", "app", "banana", "éclair", "zeta", "Zeta"]
    static let searches = ["app", "crem bru", "É", "zeta apple", "ban-an", "*", "ZET"]

    mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    /// Random values for one entity: fields `f`, `g`, `h` (any value), `o` (an object with `k`),
    /// `text` (words for full-text search) and `r` (mostly the id of another entity, as
    /// ``randomQueries(seed:documents:queries:searchFields:indexes:)`` names them: `E00`, `E01`, …),
    /// each possibly missing.
    public mutating func document() -> [String: JSON] {
        var values: [String: JSON] = [:]
        for field in Self.fields where chance(80) { values[field] = pick(Self.values) }
        if chance(50) { values["o"] = .object(["k": pick(Self.values)]) }
        if chance(70) {
            values["text"] = .string((0..<3).map { _ in pick(Self.words) }.joined(separator: " "))
        }
        if chance(70) { values["r"] = chance(85) ? .string("E0\(random.next() % 10)") : pick(Self.values) }
        return values
    }

    mutating func literal() -> QueryValue {
        if chance(60) { return .json(pick(Self.values)) }
        return .literal(pick(["10", "1", "0", "a", "true", "2.5", "x*y", "é", "1e1", "-0.5"]), quoted: chance(30))
    }

    mutating func path(inElement: Bool = false) -> FieldPath {
        if inElement { return pick(Self.elementPaths) }
        return pick([
            "f", "g", "h", "o.k", "o", "missing", "id", "_meta.version", "_meta.createdBy", "f.x", "text", "_meta",
            .root, "_meta.created",
        ])
    }

    /// A path for the NGSI-LD nodes: mostly fields that hold values of the pool, so that they match some.
    mutating func valuePath(inElement: Bool) -> FieldPath {
        inElement || !chance(70) ? path(inElement: inElement) : pick(["f", "g", "h", "o.k"])
    }

    /// A random filter, nested at most three levels deep; `inElement` draws the paths of a filter
    /// inside ``Filter/anyElement(_:_:where:)``.
    public mutating func filter(depth: Int = 0, inElement: Bool = false) -> Filter {
        switch random.next() % (depth < 3 ? 16 : 8) {
        case 0: return .compare(path(inElement: inElement), pick(ComparisonOperator.allCases), literal())
        case 1:
            return .pattern(
                path(inElement: inElement),
                pick(["a*", "*a*", "É*", "é*", "x[*]y", "x*y", "1*", "*", "A*C", "_", "100%", "*E*", "E??"]),
                caseInsensitive: chance(50)
            )
        case 2:
            let values = (0..<(random.next() % 3)).map { _ in literal() }
            return .membership(path(inElement: inElement), values, negated: chance(50))
        case 3: return .isNull(path(inElement: inElement), negated: chance(50))
        case 4: return .compare(path(inElement: inElement), chance(50) ? .eq : .ne, .empty)  // eq/ne(f,empty())
        case 5: return .compare(path(inElement: inElement), .eq, literal())
        case 6: return .regex(valuePath(inElement: inElement), pick(Self.patterns))
        case 7:
            let path = valuePath(inElement: inElement)
            return .dateTime(path, pick(ComparisonOperator.allCases), pick(Self.instants))
        case 8: return .and((0..<(random.next() % 3)).map { _ in filter(depth: depth + 1, inElement: inElement) })
        case 9: return .or((0..<(random.next() % 3)).map { _ in filter(depth: depth + 1, inElement: inElement) })
        case 12, 13:
            return .compareValues(
                expression(inElement: inElement),
                pick(ComparisonOperator.allCases),
                expression(inElement: inElement)
            )
        case 14:
            if chance(50) {
                return .stringTest(
                    pick(StringTest.allCases),
                    expression(inElement: inElement),
                    chance(50)
                        ? .literal(pick(["", "a", "é", "1", "0T1", "ab", " "])) : expression(inElement: inElement)
                )
            }
            return .valueIn(expression(inElement: inElement), (0..<(random.next() % 4)).map { _ in pick(Self.values) })
        case 15 where !inRelation:
            // Products related to products: `r` names another entity (see `document()`).
            let link = chance(50) ? Relation.Link.reference("r") : .inverse("r")
            let relation = Relation(
                link,
                target: CollectionPath("products"),
                readableBy: pick([nil, nil, "ann", "bob"])
            )
            inRelation = true
            defer { inRelation = false }
            return .related(relation, where: filter(depth: depth + 1))
        case 11 where chance(50):
            // Full-text search of the entity (false inside an element or a related entity).
            return .search(pick(Self.searches))
        case 10:
            return .anyElement(
                valuePath(inElement: inElement),
                chance(70) ? .arrayElements : .memberValues,
                where: filter(depth: depth + 1, inElement: true)
            )
        default: return .not(filter(depth: depth + 1, inElement: inElement))
        }
    }

    /// A random value expression over the paths of ``filter(depth:inElement:)``, nested at most two
    /// levels deep; every function but `now()` (which would differ by the time it takes to run).
    public mutating func expression(depth: Int = 0, inElement: Bool = false) -> ValueExpression {
        switch random.next() % (depth < 2 ? 8 : 3) {
        case 0, 1: return .field(valuePath(inElement: inElement))
        case 2:
            return .literal(
                chance(20) ? pick(["1", "2", "0", "-3", "2.50", "1e1", "0.0"].map(json)) : pick(Self.values)
            )
        case 3, 4:
            return .arithmetic(
                pick(ArithmeticOperator.allCases),
                expression(depth: depth + 1, inElement: inElement),
                expression(depth: depth + 1, inElement: inElement)
            )
        case 5: return .negate(expression(depth: depth + 1, inElement: inElement))
        default:
            let function = pick(ScalarFunction.allCases.filter { $0 != .now })
            let arity: Int
            switch function {
            case .mindatetime, .maxdatetime: arity = chance(90) ? 0 : 1
            case .indexof, .concat: arity = 2
            case .substring: arity = chance(50) ? 2 : 3
            default: arity = chance(95) ? 1 : 2
            }
            return .call(function, (0..<arity).map { _ in expression(depth: depth + 1, inElement: inElement) })
        }
    }

    /// A random query: filter, up to two sort keys, sometimes a search, a projection or no total,
    /// and a small page.
    public mutating func query() -> Query {
        let sort = (0..<(random.next() % 3)).map { _ in SortKey(path(), descending: chance(50)) }
        let search = chance(20) ? pick(Self.searches) : nil
        var projection: Projection?
        if chance(15) {
            let paths: [FieldPath] = ["f", "o.k", "o", "text", "missing", "f.x", "id"]
            projection = Projection(
                include: (0..<(random.next() % 3)).map { _ in pick(paths) },
                exclude: (0..<(random.next() % 2)).map { _ in pick(paths) }
            )
        }
        return Query(
            filter: chance(90) ? filter() : nil,
            sort: sort,
            projection: projection,
            search: search,
            limit: Int(random.next() % 8),
            offset: Int(random.next() % 4),
            countsTotal: chance(75)
        )
    }
}
