import EntityModel
import EntityQuery
import EntityStore

/// Value expressions (``Filter/compareValues(_:_:_:)``, ``Filter/stringTest(_:_:_:)``,
/// ``Filter/valueIn(_:_:)``): every operator and function, on nulls, missing fields and mixed kinds,
/// each filter and its negation compared with the ``Evaluator``.
extension EntityStoreConformance {
    /// Documents whose fields `i`, `j`, `d`, `s`, `t`, `dt`, `day`, `b`, `n` hold integers, decimals,
    /// strings, date-times, dates, booleans, `null`, values of the wrong kind or nothing.
    static let expressionDocuments: [(String, String)] = [
        (
            "E1",
            #"{"i":7,"j":2,"d":7.5,"z":0,"zd":0.0,"s":"  Crème Brûlée  ","t":"abcabc","b":true,"n":null,"#
                + #""dt":"2020-09-09T23:40:07.250-02:30","day":"2020-02-29","arr":[1]}"#
        ),
        (
            "E2",
            #"{"i":-7,"j":-2,"d":-2.5,"s":"ÉCLAIR ab","t":"","b":false,"dt":"2021-02-29T00:00:00Z","day":"2021-02-29"}"#
        ),
        (
            "E3",
            #"{"i":"7","j":true,"d":"2.5","s":5,"t":null,"dt":"2020-09-09T16:40:00Z","big":1e400,"#
                + #""huge":9007199254740993,"day":"0001-01-01"}"#
        ),
        ("E4", #"{}"#),
        ("E5", #"{"i":9223372036854775807,"j":1,"d":1.25,"s":"e\u0301","t":"x","dt":"1969-12-31T23:59:59.9-00:30"}"#),
        ("E6", #"{"i":2.0e1,"j":1.5e1,"d":0.1,"s":"a b ","t":"bc","dt":"2020-09-09T18:40:00+02:00","n":1,"b":"true"}"#),
        ("E7", #"{"i":0,"j":0,"d":-0.5,"s":"","t":"abc","dt":"2020-09-09T16:40:00.000Z","day":"2020-09-09"}"#),
        ("E8", #"{"i":99999999999999999999,"j":1e19,"d":1e-20,"z":-1e-20,"s":"ΩΩ","t":"Ω","day":"2020-02-30"}"#),
    ]

    /// The expressions whose value is compared, document by document, with the Evaluator's.
    static var valueExpressions: [ValueExpression] {
        let names = ["i", "j", "d", "s", "t", "dt", "day", "b", "n", "missing", "arr", "big"]
        let fields = names.map { ValueExpression.field(FieldPath([$0])) }
        var expressions = fields
        let pairs: [(FieldPath, FieldPath)] = [
            ("i", "j"), ("d", "j"), ("i", "d"), ("i", "z"), ("d", "zd"), ("huge", "j"), ("big", "j"), ("s", "j"),
            ("n", "j"), ("missing", "i"),
        ]
        for (lhs, rhs) in pairs {
            for op in ArithmeticOperator.allCases { expressions.append(.arithmetic(op, .field(lhs), .field(rhs))) }
        }
        expressions += [
            .negate(.field("i")), .negate(.field("d")), .negate(.field("s")),
            .arithmetic(.div, .arithmetic(.mul, .field("d"), .literal(2)), .literal(2)),
            .arithmetic(.div, .arithmetic(.add, .field("i"), .literal(1)), .literal(2)),
            .arithmetic(.mod, .field("i"), .literal(json("2.5"))),
        ]
        for function in ScalarFunction.allCases {
            switch function {
            case .now, .mindatetime, .maxdatetime: continue
            case .indexof:
                expressions += [
                    .call(function, [.field("t"), .literal("c")]), .call(function, [.field("s"), .literal("")]),
                    .call(function, [.field("s"), .field("t")]),
                ]
            case .substring:
                expressions += [
                    .call(function, [.field("s"), .literal(2)]),
                    .call(function, [.field("s"), .literal(-1), .literal(3)]),
                    .call(function, [.field("t"), .field("j")]),
                    .call(function, [.field("t"), .literal(1), .field("j")]),
                    .call(function, [.field("t"), .literal(json("1.5"))]),
                ]
            case .concat:
                expressions += [
                    .call(function, [.field("s"), .field("t")]), .call(function, [.field("s"), .field("i")]),
                ]
            default:
                for field in ["s", "t", "dt", "day", "d", "i"] {
                    expressions.append(.call(function, [.field(FieldPath([field]))]))
                }
            }
        }
        expressions.append(.call(.length, []))
        return expressions
    }

    static let expressionsComputeWhatTheEvaluatorComputes = ConformanceCheck(
        "expressionsComputeWhatTheEvaluatorComputes"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let entities = expressionDocuments.map { entity($0.0, object($0.1)) }
        try await store.insert(entities)
        var filters: [Filter] = []
        for expression in valueExpressions {
            // One filter per distinct value the expression takes: which documents give that value.
            var values: [JSON] = []
            for document in entities.map(\.document) {
                let value = Evaluator.value(of: expression, in: document)
                if !values.contains(value) { values.append(value) }
            }
            for value in values {
                filters.append(.compareValues(expression, .eq, .literal(value)))
                filters.append(.compareValues(.literal(value), .lt, expression))
            }
        }
        try await expectAgreement(store, filters, over: entities)
    }

    static let comparisonsOfValuesFollowOData = ConformanceCheck("comparisonsOfValuesFollowOData") { makeStore in
        let store = try await freshStore(makeStore)
        let entities = expressionDocuments.map { entity($0.0, object($0.1)) }
        try await store.insert(entities)
        let sides: [ValueExpression] = [
            .field("i"), .field("d"), .field("s"), .field("t"), .field("dt"), .field("b"), .field("n"),
            .field("missing"), .field("arr"), .literal(.null), .literal(7), .literal(json("7.0")), .literal("7"),
            .literal(true), .literal("2020-09-09T16:40:00Z"), .literal("abc"), .literal("B"), .literal(json("[1]")),
            .call(.mindatetime, []), .call(.maxdatetime, []), .call(.now, []),
        ]
        var filters: [Filter] = []
        for lhs in sides {
            for rhs in sides where lhs != rhs || lhs == .field("n") {
                for op in ComparisonOperator.allCases { filters.append(.compareValues(lhs, op, rhs)) }
            }
        }
        try await expectAgreement(store, filters, over: entities)
    }

    static let stringTestsAndInFollowOData = ConformanceCheck("stringTestsAndInFollowOData") { makeStore in
        let store = try await freshStore(makeStore, schema: productsSchema(indexes: ["i", "s"]))
        let entities = expressionDocuments.map { entity($0.0, object($0.1)) }
        try await store.insert(entities)
        var filters: [Filter] = []
        let pairs: [(ValueExpression, ValueExpression)] = [
            (.field("s"), .literal("rè")), (.field("s"), .literal("")), (.field("t"), .literal("bc")),
            (.field("t"), .literal("ab")), (.field("s"), .field("i")), (.field("n"), .literal("")),
            (.field("t"), .field("t")), (.field("s"), .literal("e")), (.field("s"), .literal("\u{301}")),
            (.literal("abcabc"), .field("t")), (.call(.tolower, [.field("s")]), .literal("éclair")),
        ]
        for (lhs, rhs) in pairs {
            for test in StringTest.allCases { filters.append(.stringTest(test, lhs, rhs)) }
        }
        filters += [
            .valueIn(.field("i"), [7, "7", .null]), .valueIn(.field("n"), [.null]), .valueIn(.field("i"), [7, -7]),
            .valueIn(.call(.length, [.field("s")]), [5, 16, 2]), .valueIn(.field("dt"), ["2020-09-09T16:40:00.000Z"]),
            .valueIn(.field("d"), []), .valueIn(.field("arr"), [json("[1]")]), .valueIn(.field("s"), ["", "a b "]),
            .valueIn(.arithmetic(.add, .field("i"), .literal(1)), [8, json("21.0")]),
        ]
        try await expectAgreement(store, filters, over: entities)
    }

    /// Fails unless the store matches exactly the Evaluator's entities for each filter and its
    /// negation, in `collection`, restricted to `reader` (of whom `isReadable` says what they read).
    static func expectAgreement(
        _ store: any EntityStore,
        _ filters: [Filter],
        over entities: [Entity],
        in collection: CollectionPath = products,
        readableBy reader: String? = nil,
        isReadable: (Entity) -> Bool = { _ in true },
        related: (Relation, JSON) -> [JSON] = { _, _ in [] }
    ) async throws {
        let documents = entities.filter { $0.collection == collection && isReadable($0) }.map(\.document)
        for filter in filters {
            for tested in [filter, .not(filter)] {
                let query = Query(filter: tested, limit: 1000, readableBy: reader)
                let expected = Evaluator.run(query, over: documents, searchFields: [], related: related).page
                    .compactMap { $0["id"]?.stringValue }
                let actual: [String]
                do {
                    actual = try await store.ids(query, in: collection)
                } catch {
                    throw ConformanceFailure(
                        message: "\(tested): the store threw \(ConformanceFailure.describe(error))",
                        file: #filePath,
                        line: #line
                    )
                }
                try expectEqual(actual, expected, "ids in \(collection) matching \(tested)")
            }
        }
    }
}
