import EntityModel
import Testing

@testable import EntityHubCLI

@Suite struct CSVRoundTripTests {
    /// Text made of pieces that stress quoting: delimiters, quotes, line breaks, spaces, non-ASCII.
    static let pieces = [
        "a", "Widget", ",", "\"", "\n", "\r\n", " ", "ü", "✓", "日本", "🚀", "x y", "'", ";", "\t", "{", "[", "é",
    ]

    static func text(_ generator: inout SeededGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 1...6, using: &generator) { text += pieces.randomElement(using: &generator) ?? "" }
        // Prefixing a letter keeps the text a string (not a number, boolean, null or JSON) when read back.
        return "s" + text
    }

    static func decimal(_ generator: inout SeededGenerator) -> JSON {
        let whole = Int.random(in: -99_999...99_999, using: &generator)
        let fraction = Int.random(in: 1...99, using: &generator)
        let text = "\(whole == 0 && Bool.random(using: &generator) ? "-" : "")\(whole).\(fraction)"
        return JSONNumber(text).map(JSON.number) ?? .null
    }

    static func object(_ number: Int, _ generator: inout SeededGenerator) -> JSON {
        var members: [String: JSON] = ["id": .string(String(number))]
        let fields: [(String, (inout SeededGenerator) -> JSON)] = [
            ("name", { .string(text(&$0)) }),
            ("count", { .integer(Int64.random(in: Int64.min...Int64.max, using: &$0)) }),
            ("small", { .integer(Int64.random(in: -5...5, using: &$0)) }),
            ("active", { .bool(Bool.random(using: &$0)) }),
            ("price", { decimal(&$0) }),
            ("note", { .string(text(&$0)) }),
        ]
        for (key, make) in fields where Int.random(in: 0..<5, using: &generator) > 0 {
            members[key] = make(&generator)
        }
        var address: [String: JSON] = [:]
        if Bool.random(using: &generator) { address["city"] = .string(text(&generator)) }
        if Bool.random(using: &generator) { address["geo"] = ["lat": decimal(&generator), "lon": decimal(&generator)] }
        if !address.isEmpty { members["address"] = .object(address) }
        return .object(members)
    }

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")])
    func writtenObjectsReadBackTheSame(delimiter: UInt8) throws {
        var generator = SeededGenerator(seed: 20_251_124 + UInt64(delimiter))
        let objects = (1...500).map { Self.object($0, &generator) }
        let columns = CSVWriter.columns(for: objects, excluding: [])
        #expect(columns.first == "id")
        let writer = CSVWriter(columns: columns, delimiter: delimiter)
        var output: [UInt8] = []
        writer.writeHeader(into: &output)
        for object in objects { writer.write(object, into: &output) }

        for chunkSize in [7, 64 * 1024] {
            var reader = CSVReader(input: ByteInput(bytes: output, chunkSize: chunkSize), delimiter: delimiter)
            let read = try readAll(&reader)
            #expect(read.count == objects.count)
            for (record, object) in zip(read, objects) {
                guard case .record(_, let value) = record else {
                    Issue.record("malformed: \(record)")
                    continue
                }
                #expect(value == object)
                if let price = object["price"] { #expect(value["price"]?.description == price.description) }
            }
        }
    }

    @Test func recordsKnowTheLineTheirRowStartsOn() throws {
        let objects: [JSON] = [["id": "1", "note": "one\ntwo\nthree"], ["id": "2", "note": "x"], ["id": "3"]]
        let writer = CSVWriter(columns: ["id", "note"])
        let text = writer.headerLine() + objects.map(writer.line(for:)).joined()
        #expect(try records(text, as: .csv).map(\.line) == [2, 5, 6])
    }
}
