import Testing

@testable import EntityHubCLI

@Suite struct InputFormatTests {
    @Test(
        arguments: [
            ("orders.jsonl", nil, InputFormat.jsonl),
            ("orders.NDJSON", UInt8(ascii: "["), .jsonl),
            ("orders.csv", UInt8(ascii: "{"), .csv),
            ("orders.json", UInt8(ascii: "["), .json),
            ("orders.json", UInt8(ascii: "{"), .jsonl),
            ("orders.json", nil, .json),
            ("-", UInt8(ascii: "["), .json),
            ("-", UInt8(ascii: "{"), .jsonl),
            ("-", UInt8(ascii: "i"), .csv),
            ("data/orders", nil, .csv),
            ("dir.json/orders", UInt8(ascii: "["), .json),
            (".json", UInt8(ascii: "i"), .csv),
            ("export.txt", UInt8(ascii: "{"), .jsonl),
        ] as [(String, UInt8?, InputFormat)]
    )
    func detectsTheFormatFromTheExtensionThenTheFirstByte(path: String, firstByte: UInt8?, expected: InputFormat) {
        #expect(InputFormat.detect(path: path, firstByte: firstByte) == expected)
    }

    @Test func namesTheFormatsAsTheCommandLineDoes() {
        #expect(InputFormat.allCases.map(\.rawValue) == ["jsonl", "json", "csv"])
        #expect(InputFormat(rawValue: "csv") == .csv)
    }

    @Test(arguments: [
        ("\n\n  [{\"a\": 1}]", InputFormat.json),
        ("\u{FEFF}{\"a\": 1}\n", .jsonl),
        ("a\n1\n", .csv),
    ])
    func opensAFileWithoutAnExtensionByItsContent(text: String, format: InputFormat) throws {
        let file = try TemporaryFile(text, suffix: "")
        var reader = try RecordReaders.open(path: file.path, format: nil, chunkSize: 1)
        #expect(reader.format == format)
        #expect(try readAll(&reader) == [.record(line: format == .json ? 3 : format == .csv ? 2 : 1, value: ["a": 1])])
    }

    @Test func aGivenFormatWins() throws {
        let file = try TemporaryFile("name;n\nx;1\n", suffix: ".json")
        var reader = try RecordReaders.open(path: file.path, format: .csv, delimiter: UInt8(ascii: ";"))
        #expect(reader.format == .csv)
        #expect(try readAll(&reader) == [.record(line: 2, value: ["name": "x", "n": 1])])
        #expect(reader.totalBytes == 11 && reader.bytesRead == 11)
    }

    @Test func aMissingFileCannotBeOpened() {
        let error = #expect(throws: TransferError.self) {
            try RecordReaders.open(path: "/nonexistent/x.csv", format: nil, delimiter: UInt8(ascii: ","))
        }
        #expect(error?.message == "cannot open the input: No such file or directory")
    }
}
