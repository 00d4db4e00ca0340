import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct CSVReaderTests {
    @Test func turnsRowsIntoTypedObjects() throws {
        let text = """
            id,name,price,in_stock,address.city
            17,Widget,19.99,true,Oslo
            18,"Smith, J.",5,false,
            """
        let read = try records(text, as: .csv)
        #expect(
            read == [
                .record(
                    line: 2,
                    value: [
                        "id": "17", "name": "Widget", "price": .number(try #require(JSONNumber("19.99"))),
                        "in_stock": true, "address": ["city": "Oslo"],
                    ]
                ),
                .record(line: 3, value: ["id": "18", "name": "Smith, J.", "price": 5, "in_stock": false]),
            ]
        )
    }

    @Test func quotedFieldsHoldQuotesDelimitersAndNewlines() throws {
        let text = "name,note\n\"He said \"\"hi\"\"\",\"a,b\"\n\"multi\nline\r\nvalue\",x\nlast,\"\"\n"
        let read = try records(text, as: .csv)
        #expect(
            read == [
                .record(line: 2, value: ["name": #"He said "hi""#, "note": "a,b"]),
                .record(line: 3, value: ["name": "multi\nline\r\nvalue", "note": "x"]),
                .record(line: 6, value: ["name": "last"]),
            ]
        )
    }

    @Test func acceptsCRLFAByteOrderMarkAndBlankLines() throws {
        let text = "\u{FEFF}a,b\r\n1,x\r\n\r\n\"2\",\"y\"\r\n\r\n"
        let read = try records(text, as: .csv)
        #expect(read == [.record(line: 2, value: ["a": 1, "b": "x"]), .record(line: 4, value: ["a": 2, "b": "y"])])
    }

    @Test func rowsWithTheWrongNumberOfFieldsAreMalformed() throws {
        let text = "a,b,c\n1,2,3\n1,2,3,4\n1\n\"x\ny\",2,3\n"
        let read = try records(text, as: .csv)
        #expect(
            read == [
                .record(line: 2, value: ["a": 1, "b": 2, "c": 3]),
                .malformed(line: 3, reason: "expected 3 fields, found 4"),
                .malformed(line: 4, reason: "expected 3 fields, found 1"),
                .record(line: 5, value: ["a": "x\ny", "b": 2, "c": 3]),
            ]
        )
    }

    @Test func anUnterminatedQuotedFieldIsAnErrorAtItsOpeningQuote() throws {
        let text = "a,b\n1,2\n3,\"open\n\nmore"
        var reader = CSVReader(input: ByteInput(bytes: Array(text.utf8), name: "orders.csv", chunkSize: 3))
        #expect(try reader.next() == .record(line: 2, value: ["a": 1, "b": 2]))
        let error = #expect(throws: TransferError.self) { try reader.next() }
        #expect(error?.description == "orders.csv:3:3: unterminated quoted field")
    }

    @Test func anUnusableHeaderIsAnError() throws {
        var reader = CSVReader(input: ByteInput(bytes: Array("\n\na,a.b\n1,2\n".utf8), name: "t.csv"))
        let error = #expect(throws: TransferError.self) { try reader.next() }
        #expect(
            error?.description == "t.csv:3: columns 'a' and 'a.b' conflict: 'a' cannot be both a value and an object"
        )
    }

    @Test func usesAnotherDelimiterWhenTold() throws {
        let text = "name;price\n\"a;b\";1,5\n"
        var reader = CSVReader(input: ByteInput(bytes: Array(text.utf8)), delimiter: UInt8(ascii: ";"))
        #expect(try readAll(&reader) == [.record(line: 2, value: ["name": "a;b", "price": "1,5"])])
        #expect(reader.header == ["name", "price"])
    }

    @Test func anInputWithOnlyAHeaderHasNoRecords() throws {
        #expect(try records("a,b\n", as: .csv).isEmpty)
        #expect(try records("", as: .csv).isEmpty)
    }

    @Test func keepsTextAfterAClosingQuote() throws {
        #expect(try records("a\n\"x\"y\n", as: .csv) == [.record(line: 2, value: ["a": "xy"])])
    }

    @Test(arguments: [1, 2, 3, 4, 7, 19])
    func rowsCutAcrossChunksReadTheSame(chunkSize: Int) throws {
        let text = "\u{FEFF}id,text,n\r\n1,\"multi\r\nline, \"\"quoted\"\"\",2\r\n2,ünïcödé ✓,3.5\r\n\r\n3,x\n4,\"\",\n"
        let whole = try records(text, as: .csv)
        #expect(whole.map(\.line) == [2, 4, 6, 7])
        #expect(try records(text, as: .csv, chunkSize: chunkSize) == whole)
    }

    @Test func streamsABigFileInChunks() throws {
        var text = "id,name,price,address.city,note\n"
        for number in 1...90_000 {
            text += "\(number),product \(number),\(number).25,City \(number % 10),\"line one\nline, two\"\n"
        }
        let file = try TemporaryFile(text, suffix: ".csv")
        var reader = try RecordReaders.open(path: file.path, format: nil, delimiter: UInt8(ascii: ","))
        #expect(reader.format == .csv)
        var count = 0
        var last: InputRecord?
        while let record = try reader.next() {
            count += 1
            last = record
        }
        #expect(count == 90_000)
        #expect(last?.line == 180_000)
        if case .record(_, let value) = last {
            #expect(value["address"] == ["city": "City 0"])
            #expect(value["price"] == .number(try #require(JSONNumber("90000.25"))))
        } else {
            Issue.record("the last row is \(String(describing: last))")
        }
        #expect(reader.bytesRead == text.utf8.count)
        #expect(text.utf8.count > 5_000_000)
    }
}
