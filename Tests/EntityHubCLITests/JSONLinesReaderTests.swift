import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct JSONLinesReaderTests {
    @Test func readsOneObjectPerLineWithItsLineNumber() throws {
        let text = """
            {"id": "1", "name": "Widget"}

            {"price": 19.99, "tags": ["a"]}
            """
        #expect(
            try records(text, as: .jsonl) == [
                .record(line: 1, value: ["id": "1", "name": "Widget"]),
                .record(line: 3, value: ["price": .number(try #require(JSONNumber("19.99"))), "tags": ["a"]]),
            ]
        )
    }

    @Test func skipsBlankLinesAndAcceptsCRLF() throws {
        let text = "{\"a\": 1}\r\n\r\n   \r\n\t\n{\"a\": 2}\r\n"
        #expect(
            try records(text, as: .jsonl) == [.record(line: 1, value: ["a": 1]), .record(line: 5, value: ["a": 2])]
        )
    }

    @Test func reportsBrokenLinesAndGoesOn() throws {
        let text = """
            {"a": 1}
            {"a": 2,}
            [1, 2]
            "text"
            {"a": 3}
            """
        let read = try records(text, as: .jsonl)
        #expect(
            read == [
                .record(line: 1, value: ["a": 1]),
                .malformed(line: 2, reason: "not valid JSON: expected a string key in an object at column 9"),
                .malformed(line: 3, reason: "expected a JSON object, found an array"),
                .malformed(line: 4, reason: "expected a JSON object, found a string"),
                .record(line: 5, value: ["a": 3]),
            ]
        )
    }

    @Test func theLastLineNeedsNoNewline() throws {
        #expect(try records("{\"a\": 1}\n{\"b\": 2}", as: .jsonl).count == 2)
        #expect(try records("", as: .jsonl).isEmpty)
        #expect(try records("\n\n", as: .jsonl).isEmpty)
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try records("\u{FEFF}{\"a\": 1}\n", as: .jsonl) == [.record(line: 1, value: ["a": 1])])
    }

    @Test(arguments: [1, 2, 3, 7, 16, 100])
    func linesCutAcrossChunksReadTheSame(chunkSize: Int) throws {
        let text = """
            {"name": "a long enough line, with commas", "n": 1}
            {"name": "ünïcödé ✓", "n": 2}\r

            not json
            {"nested": {"deep": [1, {"x": null}]}}
            """
        #expect(try records(text, as: .jsonl, chunkSize: chunkSize) == (try records(text, as: .jsonl)))
        #expect(try records(text, as: .jsonl, chunkSize: chunkSize).map(\.line) == [1, 2, 4, 5])
    }

    @Test func streamsABigFileInChunks() throws {
        var text = ""
        let line = #"{"id": "ID", "name": "product number N", "price": 12.5, "tags": ["x", "y"], "ok": true}"#
        for number in 1...60_000 {
            text += line.replacingOccurrences(of: "N", with: String(number)) + "\n"
            if number % 10_000 == 0 { text += "oops\n" }
        }
        let file = try TemporaryFile(text, suffix: ".jsonl")
        var reader = try RecordReaders.open(path: file.path, format: nil, delimiter: UInt8(ascii: ","))
        #expect(reader.format == .jsonl)
        #expect(reader.totalBytes == text.utf8.count)
        var count = 0
        var malformedLines: [Int] = []
        var last: JSON?
        while let record = try reader.next() {
            switch record {
            case .record(_, let value):
                count += 1
                last = value
            case .malformed(let line, _): malformedLines.append(line)
            }
            #expect(reader.bytesRead <= text.utf8.count)
        }
        #expect(count == 60_000)
        #expect(malformedLines == [10_001, 20_002, 30_003, 40_004, 50_005, 60_006])
        #expect(last?["name"] == "product number 60000")
        #expect(reader.bytesRead == text.utf8.count)
        #expect(text.utf8.count > 5_000_000)
    }

    @Test func aLineLargerThanTheLimitStopsTheReading() throws {
        let text = "{\"a\": 1}\n{\"b\": \"" + String(repeating: "x", count: 1000) + "\"}\n"
        var reader = JSONLinesReader(
            input: ByteInput(bytes: Array(text.utf8), name: "big.jsonl", chunkSize: 64),
            maximumRecordSize: 256
        )
        #expect(try reader.next() == .record(line: 1, value: ["a": 1]))
        let error = #expect(throws: TransferError.self) { try reader.next() }
        #expect(error?.description == "big.jsonl:2: record is larger than 256 bytes")
    }
}
