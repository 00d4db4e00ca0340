import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct CSVValueConverterTests {
    @Test(arguments: [
        ("true", JSON.bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        ("0", .integer(0)),
        ("42", .integer(42)),
        ("-7", .integer(-7)),
        ("9223372036854775807", .integer(Int64.max)),
        ("-9223372036854775808", .integer(Int64.min)),
        ("007", .string("007")),
        ("+5", .string("+5")),
        ("1.", .string("1.")),
        (".5", .string(".5")),
        ("-", .string("-")),
        (" 42", .string(" 42")),
        ("True", .string("True")),
        (#"{"a": [1, true]}"#, .object(["a": .array([1, true])])),
        ("[1, 2]", .array([1, 2])),
        ("{not json}", .string("{not json}")),
        ("[", .string("[")),
        ("hello, world", .string("hello, world")),
    ])
    func typesACellByItsText(cell: String, expected: JSON) {
        #expect(CSVValueConverter.value(of: cell) == expected)
    }

    @Test(arguments: ["19.99", "1e400", "-1.5E-7", "0.10", "-0", "9223372036854775808"])
    func keepsTheExactTextOfOtherNumbers(cell: String) {
        guard case .number(let number) = CSVValueConverter.value(of: cell) else {
            Issue.record("\(cell) is not a number")
            return
        }
        #expect(number.text == cell)
    }

    @Test func leavesOutEmptyCellsAndKeepsIdsAsStrings() throws {
        #expect(CSVValueConverter.value(of: "") == nil)
        #expect(CSVValueConverter.value(of: "", isIdentifier: true) == nil)
        let converter = try CSVValueConverter(header: ["id", "count", "owner.id"])
        #expect(converter.object(from: ["0042", "3", "17"]) == ["id": "0042", "count": 3, "owner": ["id": 17]])
        #expect(converter.object(from: ["true", "", ""]) == ["id": "true"])
    }

    @Test func buildsNestedObjectsFromDotPaths() throws {
        let converter = try CSVValueConverter(header: [" name ", "address.city", "address.geo.lat", "address.geo.lon"])
        #expect(converter.header == ["name", "address.city", "address.geo.lat", "address.geo.lon"])
        #expect(
            converter.object(from: ["A", "Oslo", "59.9", "10.7"])
                == [
                    "name": "A",
                    "address": [
                        "city": "Oslo",
                        "geo": [
                            "lat": .number(try #require(JSONNumber("59.9"))),
                            "lon": .number(try #require(JSONNumber("10.7"))),
                        ],
                    ],
                ]
        )
        #expect(converter.object(from: ["A", "", "", ""]) == ["name": "A"])
    }

    @Test(arguments: [
        (["a", "a.b"], "columns 'a' and 'a.b' conflict: 'a' cannot be both a value and an object"),
        (["x.y.z", "x.y"], "columns 'x.y' and 'x.y.z' conflict: 'x.y' cannot be both a value and an object"),
        (["a", "b", "a"], "column 'a' appears twice in the header"),
        (["a", " "], "column 2 of the header has no name"),
        (["a..b"], "column 'a..b' has an empty part in its dot path"),
        ([".a"], "column '.a' has an empty part in its dot path"),
    ])
    func refusesHeadersThatCannotNameFields(header: [String], message: String) {
        let error = #expect(throws: TransferError.self) {
            try CSVValueConverter(header: header, source: "h.csv", line: 1)
        }
        #expect(error?.description == "h.csv:1: \(message)")
    }
}
