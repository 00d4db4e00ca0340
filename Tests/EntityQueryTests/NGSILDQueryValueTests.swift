import EntityModel
import EntityQuery
import Testing

struct NGSILDQueryValueTests {
    private func value(_ text: String) throws -> NGSILDQueryValue? {
        guard case .term(let term) = try NGSILDQueryParser().parseQuery(text),
            case .compare(_, let value) = term.predicate
        else { return nil }
        return value
    }

    private func numberText(_ text: String) throws -> String? {
        guard case .number(let number) = try value(text) else { return nil }
        return number.text
    }

    @Test func keepsNumbersAsWritten() throws {
        #expect(try numberText("a==1e400") == "1e400")
        #expect(try numberText("a==0.1") == "0.1")
        #expect(try numberText("a==-0") == "-0")
        #expect(try numberText("a==1.50") == "1.50")
        #expect(try numberText("a>-12.5E+3") == "-12.5E+3")
        #expect(try numberText("a==123456789012345678901234567890") == "123456789012345678901234567890")
    }

    @Test func decodesTheEscapesOfQuotedStrings() throws {
        #expect(try value(#"a=="x\"y\\z\u00e9\n""#) == .string("x\"y\\zé\n"))
        #expect(try value(#"a=="a;b|c,d(e)f..g""#) == .string("a;b|c,d(e)f..g"))
        #expect(try value(#"a=="""#) == .string(""))
        #expect(try value(#"a=="\ud83d\ude00 ok""#) == .string("😀 ok"))
        #expect(try value(#"a=="Eiffel Tower""#) == .string("Eiffel Tower"))
    }

    @Test func readsUnquotedURIsWithColonsHashesAndQueries() throws {
        #expect(try value("a==urn:ngsi-ld:City:Pisa") == .uri("urn:ngsi-ld:City:Pisa"))
        #expect(try value("a==https://example.org/a/b?x=1&y=2#top") == .uri("https://example.org/a/b?x=1&y=2#top"))
        #expect(try value("a==ngsi-ld:default") == .uri("ngsi-ld:default"))
        let list = try NGSILDQueryParser().parseQuery("a==urn:a:1,urn:a:2;b==1")
        #expect(
            list
                == .and([
                    .term(
                        NGSILDQueryTerm(
                            attribute: NGSILDAttributePath(name: "a"),
                            predicate: .anyOf([.uri("urn:a:1"), .uri("urn:a:2")], negated: false)
                        )
                    ),
                    .term(
                        NGSILDQueryTerm(
                            attribute: NGSILDAttributePath(name: "b"),
                            predicate: .compare(.equal, .number(JSONNumber("1")!))
                        )
                    ),
                ])
        )
    }

    @Test func readsDateTimesDatesAndTimes() throws {
        #expect(try value("a==2017-12-24T12:00:00Z") == .dateTime("2017-12-24T12:00:00Z"))
        #expect(try value("a>2017-12-24T12:00:00.123+01:00") == .dateTime("2017-12-24T12:00:00.123+01:00"))
        #expect(try value("a<2017-12-24") == .date("2017-12-24"))
        #expect(try value("a>=2024-02-29") == .date("2024-02-29"))
        #expect(try value("a==12:00:00") == .time("12:00:00"))
        #expect(try value("a<=23:59:59.5Z") == .time("23:59:59.5Z"))
    }

    @Test func readsRangesAndListsOfDates() throws {
        let range = try NGSILDQueryParser().parseQuery("a==2017-01-01T00:00:00Z..2017-12-31T23:59:59Z")
        #expect(
            range.terms.first?.predicate
                == .inRange(.dateTime("2017-01-01T00:00:00Z"), .dateTime("2017-12-31T23:59:59Z"), negated: false)
        )
        let dates = try NGSILDQueryParser().parseQuery("a!=2017-01-01,2018-01-01")
        #expect(dates.terms.first?.predicate == .anyOf([.date("2017-01-01"), .date("2018-01-01")], negated: true))
        let times = try NGSILDQueryParser().parseQuery("a==08:00:00..12:00:00")
        #expect(times.terms.first?.predicate == .inRange(.time("08:00:00"), .time("12:00:00"), negated: false))
        let strings = try NGSILDQueryParser().parseQuery(#"a=="a".."m""#)
        #expect(strings.terms.first?.predicate == .inRange(.string("a"), .string("m"), negated: false))
        let mixed = try NGSILDQueryParser().parseQuery(#"a==1,"b",true,2017-01-01"#)
        #expect(
            mixed.terms.first?.predicate
                == .anyOf([.number(JSONNumber("1")!), .string("b"), .bool(true), .date("2017-01-01")], negated: false)
        )
    }

    @Test func readsTrueAndFalse() throws {
        #expect(try value("a==true") == .bool(true))
        #expect(try value("a==false") == .bool(false))
    }
}
