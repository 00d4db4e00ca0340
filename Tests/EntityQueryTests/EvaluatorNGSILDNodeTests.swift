import EntityModel
import EntityQuery
import Testing

@Suite struct EvaluatorNGSILDNodeTests {
    @Test(arguments: [
        ("2020-09-09T16:40:00Z", "2020-09-09T16:40:00Z"),
        ("2020-09-09T18:40:00.000+02:00", "2020-09-09T16:40:00Z"),
        ("2020-09-09T16:40:00.50-00:30", "2020-09-09T17:10:00.5Z"),
        ("2024-02-29T23:59:59.999999999999Z", "2024-02-29T23:59:59.999999999999Z"),
        ("0001-01-01T00:30:00+01:00", "0000-12-31T23:30:00Z"),
        ("1969-12-31T23:59:59.25Z", "1969-12-31T23:59:59.25Z"),
    ])
    func dateTimesParseToTheirUTCInstant(_ text: String, _ utc: String) throws {
        #expect(try #require(ISO8601Instant(text)).description == utc)
    }

    @Test(arguments: [
        "2021-02-29T00:00:00Z", "2020-09-09T16:40:00", "2020-09-09t16:40:00z", "2020-09-09T24:00:00Z",
        "2020-09-09T16:60:00Z", "2020-09-09T16:40:60Z", "0000-01-01T00:00:00Z", "2020-09-09T16:40:00.Z",
        "2020-09-09T16:40:00+0200", "2020-09-09T16:40:00+24:00", "2020-9-09T16:40:00Z", "2020-09-09 16:40:00Z",
        " 2020-09-09T16:40:00Z", "2020-09-09T16:40:00Z ", "2020-09-09", "",
    ])
    func otherTextIsNoDateTime(_ text: String) {
        #expect(ISO8601Instant(text) == nil)
    }

    @Test func instantsOrderByTimeWithFractionsOfAnyLength() throws {
        let texts = [
            "1969-12-31T23:59:59.9Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000001Z", "1970-01-01T00:00:00.1Z",
            "1970-01-01T02:00:00.10000001+02:00", "1970-01-01T00:00:00.2Z",
        ]
        let instants = try texts.map { try #require(ISO8601Instant($0)) }
        #expect(instants == instants.sorted())
        #expect(instants.map(\.orderKey) == instants.map(\.orderKey).sorted())
        #expect(ISO8601Instant("1970-01-01T00:00:00.500Z") == ISO8601Instant("1970-01-01T00:00:00.5Z"))
    }

    @Test(arguments: [
        ("Tower$", "Eiffel Tower", true), ("Tower$", "Eiffel Tower\n", false), ("r.$", "Tower\n", true),
        ("a.b", "a\r\nb", false), ("a..b", "a\r\nb", true), ("^b", "ab", false), ("b", "ab", true),
        ("[[:punct:]]", "a$b", true), ("[[:punct:]]", "ab", false), ("[^[:alpha:]]", "ab", false),
        ("^[0-9]{2,3}$", "123", true), ("x\\.y", "xzy", false), ("(ab|cd)+$", "xabcd", true),
    ])
    func regexSearchesWithPOSIXAnchors(_ pattern: String, _ text: String, _ found: Bool) {
        #expect(Evaluator.regexFinds(pattern, in: text) == found)
        #expect(Evaluator.matches(.regex("f", pattern), .object(["f": .string(text)])) == found)
    }

    @Test func anyElementTestsArraysScalarsAndMemberValues() {
        let document = JSON.object([
            "a": [1, [5, 6], ["v": 3]], "s": 5, "n": .null, "m": ["en": "x", "fr": "y"],
        ])
        func holds(_ path: FieldPath, _ source: ElementSource, _ child: Filter) -> Bool {
            Evaluator.matches(.anyElement(path, source, where: child), document)
        }
        let five = Filter.compare(.root, .eq, .json(5))
        #expect(holds("a", .arrayElements, .compare("v", .eq, .json(3))))
        #expect(!holds("a", .arrayElements, five))
        #expect(holds("a", .arrayElements, .anyElement(.root, .arrayElements, where: five)))
        #expect(holds("s", .arrayElements, five))
        #expect(holds("n", .arrayElements, .isNull(.root, negated: false)))
        #expect(!holds("missing", .arrayElements, .isNull(.root, negated: false)))
        #expect(holds("m", .memberValues, .compare(.root, .eq, .json("y"))))
        #expect(!holds("a", .memberValues, .and([])))
        #expect(holds("m", .arrayElements, .compare("fr", .eq, .json("y"))))
    }

    @Test func dateTimeNeIsTheNegationOfEq() throws {
        let noon = try #require(ISO8601Instant("2020-01-01T12:00:00Z"))
        for value: JSON in ["2020-01-01T12:00:00Z", "2020-01-01T13:00:00+01:00", "x", 5, .null] {
            let document = JSON.object(["t": value])
            #expect(
                Evaluator.matches(.dateTime("t", .ne, noon), document)
                    == !Evaluator.matches(.dateTime("t", .eq, noon), document)
            )
            #expect(!Evaluator.matches(.dateTime("t", .lt, noon), document))
        }
        #expect(Evaluator.matches(.dateTime("missing", .ne, noon), .object([:])))
    }

    @Test func typingLeavesElementLiteralsInferred() throws {
        let filter = Filter.anyElement("a", .arrayElements, where: .compare("n", .eq, .literal("10", quoted: false)))
        let typed = try filter.typed { _ in .string }
        #expect(typed == .anyElement("a", .arrayElements, where: .compare("n", .eq, .json(10))))
        #expect(filter.fieldPaths == ["a", "a.n"])
    }
}
