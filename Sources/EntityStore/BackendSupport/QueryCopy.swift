import EntityModel

/// The copy of entity values that a backend's filters read, where that differs from the exact values.
///
/// Database JSON functions cannot carry the character U+0000 (SQLite's `json_extract` cuts strings
/// at it, PostgreSQL's `jsonb` refuses it), so the query copy, query values and patterns all have
/// U+FFFD in its place; reads return the exact values, kept beside the copy. Shared by the backends of
/// this package (`package` access).
package enum QueryCopy {
    /// `json` with every U+0000 in strings and keys replaced by U+FFFD, and each decimal number as
    /// `number` makes it (unchanged by default; a backend may bring it into its range).
    package static func replacingNUL(
        _ json: JSON,
        number: (JSONNumber) -> JSON = { .number($0) }
    ) -> JSON {
        switch json {
        case .string(let text): return .string(replacingNUL(text))
        case .number(let value): return number(value)
        case .array(let elements): return .array(elements.map { replacingNUL($0, number: number) })
        case .object(let members):
            var result: [String: JSON] = [:]
            for (key, value) in members { result[replacingNUL(key)] = replacingNUL(value, number: number) }
            return .object(result)
        default: return json
        }
    }

    /// `text` with every U+0000 replaced by U+FFFD.
    package static func replacingNUL(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }

    /// Whether the compact JSON text `serialized` may hold an escaped U+0000 (`\u0000`), so that
    /// its query copy differs; a quick byte scan before any copy is made.
    package static func mayHoldNUL(_ serialized: [UInt8]) -> Bool {
        let pattern = Array(#"\u0000"#.utf8)
        guard serialized.count >= pattern.count else { return false }
        var index = 0
        while index <= serialized.count - pattern.count {
            if serialized[index] == UInt8(ascii: "\\"), serialized[index + 1] == UInt8(ascii: "u"),
                serialized[index..<index + pattern.count].elementsEqual(pattern)
            {
                return true
            }
            index += 1
        }
        return false
    }
}
