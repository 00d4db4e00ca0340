import EntityModel

/// Writes JSON objects as CSV rows under a header of dot-path columns.
///
/// Each column is looked up by its dot path (`address.city` reads `{"address": {"city": …}}`). Strings
/// are written as they are, numbers and booleans as their JSON text, arrays and objects as compact JSON;
/// `null` and missing values leave the cell empty. A cell is quoted when it holds the delimiter, a quote,
/// CR or LF, or starts or ends with a space or tab; quotes inside are doubled. Rows end with `\n`.
///
/// What ``CSVReader`` reads back is the same object for strings, integers, booleans, decimals and nested
/// objects, except for strings that read as another type (`"42"`, `"true"`, empty strings).
///
/// ```swift
/// let writer = CSVWriter(columns: ["id", "name", "address.city"])
/// writer.headerLine()                                                  // "id,name,address.city\n"
/// writer.line(for: ["id": "1", "name": "Smith, J.", "address": ["city": "Oslo"]])
/// // "1,\"Smith, J.\",Oslo\n"
/// ```
struct CSVWriter: Sendable {
    /// The columns, as dot paths.
    let columns: [String]
    /// The field separator.
    let delimiter: UInt8
    private let paths: [[String]]

    /// A writer of `columns` (dot paths), separated by `delimiter`.
    init(columns: [String], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.columns = columns
        self.delimiter = delimiter
        self.paths = columns.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The header row, ending with `\n`.
    func headerLine() -> String {
        var output: [UInt8] = []
        writeHeader(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The row for `object`, ending with `\n`.
    func line(for object: JSON) -> String {
        var output: [UInt8] = []
        write(object, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the header row to `output`.
    func writeHeader(into output: inout [UInt8]) {
        writeRow(columns, into: &output)
    }

    /// Appends the row for `object` to `output`.
    func write(_ object: JSON, into output: inout [UInt8]) {
        writeRow(paths.map { Self.text(of: object.value(at: $0)) }, into: &output)
    }

    /// The text of a cell: `nil` and `null` are empty, containers are compact JSON.
    static func text(of value: JSON?) -> String {
        switch value {
        case nil, .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .number(let number): return number.text
        case .string(let text): return text
        case .array, .object: return value?.serialized() ?? ""
        }
    }

    private func writeRow(_ cells: [String], into output: inout [UInt8]) {
        if cells == [""] {
            output.append(contentsOf: "\"\"\n".utf8)  // a lone empty cell would be a blank line
            return
        }
        for (position, cell) in cells.enumerated() {
            if position > 0 { output.append(delimiter) }
            writeCell(cell, into: &output)
        }
        output.append(0x0A)
    }

    private func writeCell(_ cell: String, into output: inout [UInt8]) {
        let utf8 = cell.utf8
        let isBlank: (UInt8?) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let needsQuotes =
            isBlank(utf8.first) || isBlank(utf8.last)
            || utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}
