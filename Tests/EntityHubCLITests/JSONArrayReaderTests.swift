import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct JSONArrayReaderTests {
    static let document = """
        [
          {"id": "1", "name": "Widget, \\"large\\" [v2]", "tags": ["a", "b"]},
          {
            "id": "2",
            "nested": {"list": [1, 2, {"x": "}]"}]}
          },
          42,
          {"id": "3", "broken": tru},
          {"id": "4", "text": "line\\nbreak ✓"}
        ]

        """

    @Test func streamsEachElementWithTheLineItStartsOn() throws {
        let read = try records(Self.document, as: .json)
        #expect(
            read == [
                .record(line: 2, value: ["id": "1", "name": #"Widget, "large" [v2]"#, "tags": ["a", "b"]]),
                .record(line: 3, value: ["id": "2", "nested": ["list": [1, 2, ["x": "}]"]]]]),
                .malformed(line: 7, reason: "expected a JSON object, found a number"),
                .malformed(line: 8, reason: "not valid JSON: invalid literal, expected 'true' at line 8, column 25"),
                .record(line: 9, value: ["id": "4", "text": "line\nbreak ✓"]),
            ]
        )
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 64])
    func elementsSplitAcrossChunkBoundariesReadTheSame(chunkSize: Int) throws {
        #expect(try records(Self.document, as: .json, chunkSize: chunkSize) == (try records(Self.document, as: .json)))
    }

    @Test func readsEmptyArraysAndCompactDocuments() throws {
        #expect(try records("[]", as: .json).isEmpty)
        #expect(try records(" \n[ \n ] \n", as: .json).isEmpty)
        #expect(
            try records(#"[{"a":1},{"b":2}]"#, as: .json) == [
                .record(line: 1, value: ["a": 1]), .record(line: 1, value: ["b": 2]),
            ]
        )
    }

    @Test func reportsMissingValues() throws {
        let read = try records("[{\"a\": 1},\n,\n{\"b\": 2},\n]", as: .json)
        #expect(
            read == [
                .record(line: 1, value: ["a": 1]),
                .malformed(line: 2, reason: "not valid JSON: missing value before ','"),
                .record(line: 3, value: ["b": 2]),
                .malformed(line: 4, reason: "not valid JSON: missing value before ']'"),
            ]
        )
    }

    @Test func twoValuesWithoutACommaAreOneMalformedElement() throws {
        let read = try records(#"[{"a": 1} {"b": 2}]"#, as: .json)
        #expect(
            read == [
                .malformed(
                    line: 1,
                    reason: "not valid JSON: unexpected content after the JSON value at line 1, column 11"
                )
            ]
        )
    }

    @Test(arguments: [
        ("", "input:1:1: expected a JSON array, found the end of the input"),
        ("\n  {\"a\": 1}", "input:2:3: expected '[' to start a JSON array, found '{'"),
        (
            "[{\"a\": 1},\n {\"b\": 2}",
            "input:2:10: unexpected end of the input inside an element: the JSON array is not closed"
        ),
        ("[{\"a\": \"open]", "input:1:14: unexpected end of the input inside a string: the JSON array is not closed"),
        ("[{\"a\": 1},", "input:1:11: unexpected end of the input: the JSON array is not closed"),
        ("[{\"a\": 1}]\n\n x", "input:3:2: unexpected 'x' after the end of the JSON array"),
    ])
    func aBrokenDocumentThrowsWithItsPosition(text: String, message: String) throws {
        var reader = JSONArrayReader(input: ByteInput(bytes: Array(text.utf8), chunkSize: 4))
        let error = #expect(throws: TransferError.self) { _ = try readAll(&reader) }
        #expect(error?.description == message)
    }

    @Test func elementsBeforeABreakAreStillRead() throws {
        var reader = JSONArrayReader(input: ByteInput(bytes: Array("[{\"a\": 1}, {\"b\": 2".utf8)))
        #expect(try reader.next() == .record(line: 1, value: ["a": 1]))
        #expect(throws: TransferError.self) { try reader.next() }
    }

    @Test func streamsABigArrayInChunks() throws {
        var text = "[\n"
        for number in 1...50_000 {
            if number > 1 { text += ",\n" }
            text += #"  {"id": "\#(number)", "name": "item [\#(number)], \"quoted\"", "values": [1, 2.5, {"k": "}"}]}"#
        }
        text += "\n]\n"
        let file = try TemporaryFile(text, suffix: ".json")
        var reader = try RecordReaders.open(path: file.path, format: nil, delimiter: UInt8(ascii: ","))
        #expect(reader.format == .json)
        var lines: [Int] = []
        var last: JSON?
        while let record = try reader.next() {
            guard case .record(let line, let value) = record else {
                Issue.record("unexpected \(record)")
                continue
            }
            lines.append(line)
            last = value
        }
        #expect(lines.count == 50_000)
        #expect(lines.first == 2 && lines.last == 50_001)
        #expect(last?["name"] == #"item [50000], "quoted""#)
        #expect(reader.bytesRead == text.utf8.count && reader.totalBytes == text.utf8.count)
        #expect(text.utf8.count > 4_000_000)
    }
}
