import EntityModel
import EntityQuery
import Testing

private func number(_ text: String) -> NGSILDQueryValue { .number(JSONNumber(text)!) }

private func term(_ path: NGSILDAttributePath, _ predicate: NGSILDQueryPredicate = .exists) -> NGSILDQuery {
    .term(NGSILDQueryTerm(attribute: path, predicate: predicate))
}

private func term(_ name: String, _ predicate: NGSILDQueryPredicate = .exists) -> NGSILDQuery {
    term(NGSILDAttributePath(name: name), predicate)
}

private func equal(_ value: NGSILDQueryValue) -> NGSILDQueryPredicate { .compare(.equal, value) }

private func parse(_ text: String) throws -> NGSILDQuery {
    try NGSILDQueryParser().parseQuery(text)
}

struct NGSILDQueryParserTests {
    /// The typical expressions of the reference (§5.4), each with its tree.
    static let typicalExpressions: [(String, NGSILDQuery)] = [
        (#"name=="Eiffel Tower""#, term("name", equal(.string("Eiffel Tower")))),
        (
            #"name=="Pisa Tower";almostFull==false"#,
            .and([term("name", equal(.string("Pisa Tower"))), term("almostFull", equal(.bool(false)))])
        ),
        (
            #"name=="Pisa Tower"|almostFull==false"#,
            .or([term("name", equal(.string("Pisa Tower"))), term("almostFull", equal(.bool(false)))])
        ),
        (
            #"(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false"#,
            .and([
                .or([term("name", equal(.string("Pisa Tower"))), term("name", equal(.string("Eiffel Tower")))]),
                term("almostFull", equal(.bool(false))),
            ])
        ),
        ("airQualityLevel==4", term("airQualityLevel", equal(number("4")))),
        (
            "airQualityLevel>=4;airQualityLevel<7",
            .and([
                term("airQualityLevel", .compare(.greaterOrEqual, number("4"))),
                term("airQualityLevel", .compare(.less, number("7"))),
            ])
        ),
        ("locatedIn==urn:ngsi-ld:City:Pisa", term("locatedIn", equal(.uri("urn:ngsi-ld:City:Pisa")))),
        (
            "locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris",
            .or([
                term("locatedIn", equal(.uri("urn:ngsi-ld:City:Pisa"))),
                term("locatedIn", equal(.uri("urn:ngsi-ld:City:Paris"))),
            ])
        ),
        ("airQualityLevel==5..9", term("airQualityLevel", .inRange(number("5"), number("9"), negated: false))),
        (
            "airQualityLevel==1,3,5",
            term("airQualityLevel", .anyOf([number("1"), number("3"), number("5")], negated: false))
        ),
        (#"locatedIn=="urn:ngsi-ld:City:Pisa""#, term("locatedIn", equal(.string("urn:ngsi-ld:City:Pisa")))),
    ]

    @Test(arguments: typicalExpressions)
    func parsesTheTypicalExpressions(text: String, expected: NGSILDQuery) throws {
        #expect(try parse(text) == expected)
    }

    @Test func parsesEveryOperator() throws {
        let operators: [(String, NGSILDComparisonOperator)] = [
            ("==", .equal), ("!=", .unequal), (">", .greater), (">=", .greaterOrEqual), ("<", .less),
            ("<=", .lessOrEqual),
        ]
        for (written, comparison) in operators {
            #expect(try parse("speed\(written)-2.5") == term("speed", .compare(comparison, number("-2.5"))))
        }
        #expect(try parse("a!=true") == term("a", .compare(.unequal, .bool(true))))
        #expect(try parse("a!=1,2") == term("a", .anyOf([number("1"), number("2")], negated: true)))
        #expect(try parse("a!=5..9") == term("a", .inRange(number("5"), number("9"), negated: true)))
        #expect(try parse("a!=urn:x:y") == term("a", .compare(.unequal, .uri("urn:x:y"))))
        #expect(try parse(#"name>"M""#) == term("name", .compare(.greater, .string("M"))))
    }

    @Test func aBareAttributeTestsExistence() throws {
        #expect(try parse("temperature") == term("temperature"))
        #expect(
            try parse("temperature;humidity|(wind)")
                == .or([.and([term("temperature"), term("humidity")]), term("wind")])
        )
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try parse("a;b|c;d") == .or([.and([term("a"), term("b")]), .and([term("c"), term("d")])]))
        #expect(try parse("a|b;c") == .or([term("a"), .and([term("b"), term("c")])]))
        #expect(try parse("a;b;c") == .and([term("a"), term("b"), term("c")]))
        #expect(try parse("a|b|c") == .or([term("a"), term("b"), term("c")]))
        #expect(try parse("(a|b);c") == .and([.or([term("a"), term("b")]), term("c")]))
    }

    @Test func acceptsNestedParentheses() throws {
        #expect(try parse("((a|b);c)|d") == .or([.and([.or([term("a"), term("b")]), term("c")]), term("d")]))
        #expect(try parse("(((a==1)))") == term("a", equal(number("1"))))
        #expect(try parse("(a;(b|(c;d)))") == .and([term("a"), .or([term("b"), .and([term("c"), term("d")])])]))
        let deep = String(repeating: "(", count: 32) + "a" + String(repeating: ")", count: 32)
        #expect(try parse(deep) == term("a"))
    }

    @Test func writesTheQueryBackSoThatItParsesAgain() throws {
        let texts = [
            #"(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false"#,
            "a;b|c;d",
            "(a|b)|c",
            "(a;b);c",
            "a{T1,T2:b{c.d[e.f]}}>=2017-12-24T12:00:00Z",
            #"name~="^Eiffel\\.x"|name!~="a\"b""#,
            "level!=1,3,5;level==5..9;at==08:00:00..12:00:00Z",
            #"x=="a;b|c,d(e)\n""#,
        ]
        for text in texts {
            let query = try parse(text)
            #expect(query.description == text)
            #expect(try parse(query.description) == query)
        }
    }

    @Test func listsTheTermsInOrder() throws {
        let query = try parse("(a==1|b.observedAt>2);c")
        #expect(query.terms.map(\.attribute.name) == ["a", "b", "c"])
        #expect(query.terms[1].attribute.memberPath == ["observedAt"])
    }
}
