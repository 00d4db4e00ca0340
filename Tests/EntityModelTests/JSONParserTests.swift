import EntityModel
import Testing

struct JSONParserTests {
    @Test(arguments: [
        "19.99", "9007199254740993", "1e400", "-1.5E-7", "1E+2", "0.10", "-0", "-0.0", "123456789012345678901234567890",
        "-9223372036854775808", "9223372036854775808", "[1,2.50,3e0]",
        #"{"a":19.99,"b":9007199254740993,"c":1e400}"#,
    ])
    func roundTripsNumbersByteExact(text: String) throws {
        #expect(try JSON(parsing: text).serialized() == text)
    }

    @Test func keepsSixtyFourBitIntegersAsIntegers() throws {
        #expect(try JSON(parsing: "9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try JSON(parsing: "19.99").isNumber)
        #expect(try JSON(parsing: "19.99") == JSON(parsing: "19.990"))
        #expect(try JSON(parsing: "1e400") != JSON(parsing: "2e400"))
    }

    @Test(arguments: [
        (#""\u00e9""#, "é"), (#""\uD83D\uDE00""#, "😀"), (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"), (#""\u0000""#, "\u{0}"), ("\"😀é\"", "😀é"),
    ])
    func decodesStringEscapes(text: String, expected: String) throws {
        #expect(try JSON(parsing: text) == .string(expected))
    }

    @Test func escapesControlCharactersWhenSerializing() {
        #expect(JSON.string("a\"\\\n\u{01}é").serialized() == #""a\"\\\n\u0001é""#)
    }

    @Test(arguments: [
        (#""\uD83D""#, 7), (#""\uDE00""#, 7), (#""\uD83D\u0041""#, 13), (#""\x""#, 1), (#""\u12G4""#, 5),
    ])
    func rejectsBadEscapes(text: String, offset: Int) {
        #expect(parseError(text)?.offset == offset)
    }

    @Test(
        arguments: [
            ([0x22, 0x61, 0xFF, 0x22], 2),
            ([0x5B, 0x22, 0xC3, 0xA9, 0xC3, 0x22, 0x5D], 4),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),
            ([0x22, 0xC0, 0xAF, 0x22], 1),
        ] as [([UInt8], Int)]
    )
    func rejectsInvalidUTF8WithItsOffset(bytes: [UInt8], offset: Int) {
        #expect(throws: JSONParsingError.self) { try JSON(parsing: bytes) }
        do {
            _ = try JSON(parsing: bytes)
        } catch {
            #expect(error.offset == offset)
            #expect(error.reason.contains("UTF-8"))
        }
    }

    @Test func rejectsVeryDeepNestingWithoutCrashing() {
        let arrays = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(parseError(arrays)?.offset == 64)
        let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(parseError(objects)?.reason == "nesting deeper than 64 levels")
        let nested = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(nested) == nil)
    }

    @Test(arguments: [
        ("{} x", 3, 1, 4), ("[1,]", 3, 1, 4), ("{\n  \"a\": tru\n}", 9, 2, 8), ("\n\n  @", 4, 3, 3),
        ("01", 1, 1, 2), ("1.", 2, 1, 3), ("-", 1, 1, 2), ("", 0, 1, 1), ("\"abc", 0, 1, 1),
        ("\"a\u{1}\"", 2, 1, 3), ("{\"a\" 1}", 5, 1, 6), ("[1 2]", 3, 1, 4), ("nul", 0, 1, 1), ("{1:2}", 1, 1, 2),
    ])
    func reportsWhereParsingFailed(text: String, offset: Int, line: Int, column: Int) {
        let error = parseError(text)
        #expect(error?.offset == offset)
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test func describesErrorsWithLineAndColumn() {
        #expect(
            parseError("{} x")?.description
                == "invalid JSON at line 1, column 4: unexpected content after the JSON value"
        )
    }

    @Test func acceptsSurroundingWhitespace() throws {
        #expect(try JSON(parsing: " \n\t{\"a\": [true, false, null]}\r\n") == ["a": [true, false, nil]])
    }

    @Test func buildsNestedObjectsAndKeepsTheLastOfARepeatedKey() throws {
        let text = #"{"a":1,"b":{"c":{"d":[{"e":2},{}]},"a":3},"a":4,"f":{}}"#
        let expected: JSON = ["a": 4, "b": ["c": ["d": [["e": 2], [:]]], "a": 3], "f": [:]]
        #expect(try JSON(parsing: text) == expected)
        #expect(try JSON(parsing: #"{"k":1,"k":2}"#) == ["k": 2])
        let wide = "{" + (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(try JSON(parsing: wide).objectValue?.count == 100)
    }

    @Test func serializesStringsWithAndWithoutEscapes() {
        #expect(JSON.string("plain é text").serialized() == "\"plain é text\"")
        #expect(JSON.string(String(repeating: "long ", count: 40)).serialized().count == 202)
        #expect(JSON.string("tab\there").serialized() == #""tab\there""#)
    }

    @Test func comparesNumbersExactly() throws {
        let cases: [(String, String, ComparisonOrder)] = [
            ("10", "1e1", .same), ("19.99", "19.990", .same), ("0", "-0.0", .same), ("1e400", "1e399", .greater),
            ("9007199254740993", "9007199254740992.0", .greater), ("-1e400", "-1e399", .less),
            ("0.1", "0.09", .greater),
            ("-2", "1", .less), ("123.456", "1.23456e2", .same), ("1e-400", "0", .greater),
        ]
        for (lhs, rhs, expected) in cases {
            let result = try JSON(parsing: lhs).numericallyCompared(to: JSON(parsing: rhs))
            #expect(result.map(ComparisonOrder.init) == expected, "\(lhs) vs \(rhs)")
        }
        #expect(JSON.string("1").numericallyCompared(to: .integer(1)) == nil)
    }

    private func parseError(_ text: String) -> JSONParsingError? {
        do {
            _ = try JSON(parsing: text)
            return nil
        } catch {
            return error
        }
    }
}
