import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct CSVWriterTests {
    @Test func writesAHeaderAndOneRowPerObject() throws {
        let writer = CSVWriter(columns: ["id", "name", "price", "ok", "address.city", "tags", "meta", "gone"])
        let object: JSON = [
            "id": "P1", "name": "Widget", "price": .number(try #require(JSONNumber("19.990"))), "ok": false,
            "address": ["city": "Oslo", "zip": "0150"], "tags": ["a", 1], "meta": ["k": nil], "gone": nil,
        ]
        #expect(writer.headerLine() == "id,name,price,ok,address.city,tags,meta,gone\n")
        #expect(writer.line(for: object) == #"P1,Widget,19.990,false,Oslo,"[""a"",1]","{""k"":null}","# + "\n")
        #expect(writer.line(for: ["id": "P2"]) == "P2,,,,,,,\n")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        (#"say "hi""#, #""say ""hi""""#),
        ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""),
        (" leading", "\" leading\""),
        ("trailing ", "\"trailing \""),
        ("in side", "in side"),
        ("ünïcödé ✓", "ünïcödé ✓"),
    ])
    func quotesCellsOnlyWhenNeeded(text: String, cell: String) {
        #expect(CSVWriter(columns: ["a", "b"]).line(for: ["a": .string(text), "b": 1]) == cell + ",1\n")
    }

    @Test func quotesTheChosenDelimiter() {
        let writer = CSVWriter(columns: ["a", "b"], delimiter: UInt8(ascii: ";"))
        #expect(writer.line(for: ["a": "x;y", "b": "1,5"]) == "\"x;y\";1,5\n")
    }

    @Test func aLoneEmptyCellIsQuotedSoTheRowIsNotBlank() {
        let writer = CSVWriter(columns: ["name"])
        #expect(writer.line(for: [:]) == "\"\"\n")
    }

    @Test func writesIntoAByteBuffer() {
        let writer = CSVWriter(columns: ["a"])
        var output: [UInt8] = []
        writer.writeHeader(into: &output)
        writer.write(["a": 1], into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "a\n1\n")
    }

    @Test func columnsAreTheLeavesInFirstSeenOrderWithIdFirst() {
        let objects: [JSON] = [
            ["name": "A", "id": "1", "address": ["zip": "1", "city": "X"], "_meta": ["version": 1]],
            ["extra": true, "address": ["geo": ["lat": 1]], "tags": ["t"], "empty": [:]],
            "not an object",
        ]
        #expect(
            CSVWriter.columns(for: objects, excluding: ["_meta"])
                == ["id", "address.city", "address.zip", "name", "address.geo.lat", "empty", "extra", "tags"]
        )
        #expect(CSVWriter.columns(for: objects, excluding: ["address", "tags"]).first == "id")
        #expect(!CSVWriter.columns(for: objects, excluding: ["address"]).contains { $0.hasPrefix("address") })
    }

    @Test func aValueThatIsAnObjectElsewhereKeepsOneColumn() {
        let objects: [JSON] = [["a": 1], ["a": ["b": 2]]]
        let columns = CSVWriter.columns(for: objects, excluding: [])
        #expect(columns == ["a"])
        let writer = CSVWriter(columns: columns)
        #expect(objects.map(writer.line(for:)) == ["1\n", "\"{\"\"b\"\":2}\"\n"])
    }
}
