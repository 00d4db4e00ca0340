import EntityModel

/// Turns CSV rows into JSON objects, given the header row.
///
/// Header names are dot paths: `address.city` puts the cell at `{"address": {"city": …}}`. Cells are
/// typed by their text:
///
/// | cell | value |
/// |---|---|
/// | empty | the field is left out |
/// | `true`, `false` | a boolean |
/// | `null` | `null` |
/// | `42`, `-7` (no leading zeros) | an integer (a number with its exact text when beyond 64 bits) |
/// | `19.99`, `1e-7` | a number, with its text kept exactly |
/// | `{…}` or `[…]` that is valid JSON | that JSON |
/// | anything else | a string |
///
/// A column named `id` always holds strings (ids are strings, even when they look like numbers).
///
/// ```swift
/// let converter = try CSVValueConverter(header: ["id", "price", "address.city"])
/// converter.object(from: ["7", "19.99", "Oslo"])
/// // {"id": "7", "price": 19.99, "address": {"city": "Oslo"}}
/// ```
struct CSVValueConverter: Sendable {
    /// The header names, trimmed of surrounding spaces.
    let header: [String]
    /// Each column's dot path split into keys.
    private let paths: [[String]]
    /// Whether any column has a nested path (else rows build flat objects).
    private let isNested: Bool

    /// Checks `header` and prepares the conversion.
    ///
    /// - Parameters:
    ///   - header: The names of the header row.
    ///   - source: The input's name, for errors.
    ///   - line: The header's line, for errors.
    /// - Throws: ``TransferError`` when a name is empty or repeated, a dot path has an empty part, or one
    ///   column's path is the prefix of another's (`a` and `a.b`: `a` cannot be a value and an object).
    init(header: [String], source: String? = nil, line: Int? = nil) throws(TransferError) {
        let names = header.map { $0.trimmingSpaces() }
        var paths: [[String]] = []
        var seen: Set<String> = []
        for (position, name) in names.enumerated() {
            guard !name.isEmpty else {
                throw .invalidHeader("column \(position + 1) of the header has no name", source: source, line: line)
            }
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty) else {
                throw .invalidHeader("column '\(name)' has an empty part in its dot path", source: source, line: line)
            }
            guard seen.insert(name).inserted else {
                throw .invalidHeader("column '\(name)' appears twice in the header", source: source, line: line)
            }
            paths.append(path)
        }
        for path in paths where path.count > 1 {
            for length in 1..<path.count {
                let prefix = path[..<length].joined(separator: ".")
                if seen.contains(prefix) {
                    let message =
                        "columns '\(prefix)' and '\(path.joined(separator: "."))' conflict: "
                        + "'\(prefix)' cannot be both a value and an object"
                    throw .invalidHeader(message, source: source, line: line)
                }
            }
        }
        self.header = names
        self.paths = paths
        self.isNested = paths.contains { $0.count > 1 }
    }

    /// The object for one row; `fields` must have one cell per header column.
    func object(from fields: [String]) -> JSON {
        var members: [String: JSON] = [:]
        members.reserveCapacity(fields.count)
        for (path, cell) in zip(paths, fields) {
            guard let value = Self.value(of: cell, isIdentifier: path == ["id"]) else { continue }
            if isNested {
                Self.insert(value, at: path[...], into: &members)
            } else {
                members[path[0]] = value
            }
        }
        return .object(members)
    }

    /// The JSON value of one cell, or `nil` for an empty cell (the field is left out).
    ///
    /// - Parameter isIdentifier: Whether the cell is in the `id` column (kept as a string).
    static func value(of cell: String, isIdentifier: Bool = false) -> JSON? {
        guard let first = cell.utf8.first else { return nil }
        if isIdentifier { return .string(cell) }
        switch cell {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if first == UInt8(ascii: "-") || JSONNumber.isDigit(first) {
            if isInteger(cell.utf8), let integer = Int64(cell) { return .integer(integer) }
            if let number = JSONNumber(cell) { return .number(number) }
        } else if first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let json = try? JSON(parsing: cell) {
            return json
        }
        return .string(cell)
    }

    /// Whether `text` is `0` or an optional `-` and digits without a leading zero (`-0` is not: it is kept
    /// as a number so that its sign survives).
    private static func isInteger(_ text: String.UTF8View) -> Bool {
        var digits = text[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard let first = digits.first, digits.allSatisfy(JSONNumber.isDigit) else { return false }
        if first == UInt8(ascii: "0") { return text.count == 1 }
        return true
    }

    /// Sets `value` at `path` inside `members`, creating the nested objects on the way.
    private static func insert(_ value: JSON, at path: ArraySlice<String>, into members: inout [String: JSON]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            members[key] = value
            return
        }
        var child = members.removeValue(forKey: key)?.objectValue ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        members[key] = .object(child)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
