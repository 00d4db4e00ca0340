/// A value as written in RQL: a literal, or one of the special values `null()` (null or missing) and
/// `empty()` (the empty string, ``QueryValue/empty``).
enum RQLValue {
    case literal(QueryValue)
    case null
    case empty

    /// `null()` or `empty()`, which only `eq` and `ne` compare with.
    var isSpecial: Bool {
        if case .literal = self { return false }
        return true
    }

    var name: String {
        switch self {
        case .literal(let value): return value.description
        case .null: return "null()"
        case .empty: return "empty()"
        }
    }
}

extension RQLReader {
    /// Reads a value up to (not including) the next literal `,` or `)`.
    mutating func readValue() throws(RQLError) -> (value: RQLValue, start: Int) {
        let start = position
        if index < units.count, units[index].isQuote, let close = units.closingQuote(from: index) {
            return (.literal(.literal(try readQuoted(until: close), quoted: true)), start)
        }
        if consumeSpecial("null()") { return (.null, start) }
        if consumeSpecial("empty()") { return (.empty, start) }
        let (text, _) = try readToken()
        if peek("(") {
            throw RQLError(
                code: .syntax,
                message: "unexpected '(' in a value",
                position: position,
                hint: "quote the value or percent-encode '(' as %28"
            )
        }
        return (.literal(.literal(text, quoted: false)), start)
    }

    /// Reads the quoted value from the opening quote to the closing quote at `close`, turning doubled
    /// quotes into one.
    mutating func readQuoted(until close: Int) throws(RQLError) -> String {
        let start = position
        let quote = units[index].byte
        var bytes: [UInt8] = []
        index += 1
        while index < close {
            bytes.append(units[index].byte)
            index += units[index].byte == quote ? 2 : 1
        }
        index = close + 1
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RQLError(code: .invalidValue, message: "invalid UTF-8 after percent-decoding", position: start)
        }
        return text
    }

    /// Consumes `null()` or `empty()` written literally and followed by `,`, `)` or the end.
    private mutating func consumeSpecial(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        guard index + bytes.count <= units.count else { return false }
        for (offset, byte) in bytes.enumerated() {
            let unit = units[index + offset]
            guard unit.byte == byte, !(unit.escaped && (byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")))
            else { return false }
        }
        let next = index + bytes.count
        guard next == units.count || units[next].isLiteral(",") || units[next].isLiteral(")") else { return false }
        index = next
        return true
    }
}
