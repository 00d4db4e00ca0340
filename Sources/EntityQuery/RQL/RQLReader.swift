/// A recursive-descent reader of one RQL term (already percent-decoded into ``RQLUnit``s).
///
/// Grammar (structure characters count only when written literally):
/// ```
/// expression := name '(' arguments ')'
/// value      := 'null()' | 'empty()' | quote text quote | bare
/// bare       := any run of units without a literal ',' '(' ')'
/// ```
/// A quoted value starts with `"` or `'` (literal or percent-encoded) and ends at the same quote,
/// which must be followed by `,` or `)`; a doubled quote inside stands for one quote character.
/// A quote without such a closing quote is an ordinary character of a bare value.
struct RQLReader {
    let units: [RQLUnit]
    /// Raw byte offset just after the term, reported for errors at its end.
    let end: Int
    let maximumDepth: Int
    var index = 0

    init(units: [RQLUnit], end: Int, maximumDepth: Int) {
        self.units = units
        self.end = end
        self.maximumDepth = maximumDepth
    }

    /// Raw byte offset of the next unit (or of the end).
    var position: Int { index < units.count ? units[index].offset : end }

    var isAtEnd: Bool { index >= units.count }

    func peek(_ character: Unicode.Scalar) -> Bool {
        index < units.count && units[index].isLiteral(character)
    }

    mutating func skipSpaces() {
        while peek(" ") { index += 1 }
    }

    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek(character) else { return false }
        index += 1
        return true
    }

    mutating func expect(_ character: Unicode.Scalar) throws(RQLError) {
        guard consume(character) else {
            throw RQLError(code: .syntax, message: "expected '\(character)'", position: position)
        }
    }

    /// Fails unless the whole term was read (spaces excepted).
    mutating func expectEnd() throws(RQLError) {
        skipSpaces()
        guard isAtEnd else {
            throw RQLError(code: .syntax, message: "unexpected text after the expression", position: position)
        }
    }

    /// A run of ASCII letters (possibly empty).
    mutating func readName() -> String {
        var name = ""
        while index < units.count {
            let byte = units[index].byte
            guard
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            else { break }
            name.unicodeScalars.append(Unicode.Scalar(byte))
            index += 1
        }
        return name
    }

    /// The text up to the next literal `,`, `(` or `)`.
    mutating func readToken() throws(RQLError) -> (text: String, start: Int) {
        let start = position
        let first = index
        while index < units.count, !units[index].isLiteral(","), !units[index].isLiteral("("),
            !units[index].isLiteral(")")
        {
            index += 1
        }
        guard let text = units[first..<index].text else {
            throw RQLError(code: .invalidValue, message: "invalid UTF-8 after percent-decoding", position: start)
        }
        return (text, start)
    }

    /// A field path such as `asset.tiers.customer.name`.
    mutating func readField() throws(RQLError) -> FieldPath {
        let (text, start) = try readToken()
        return try Self.fieldPath(text, at: start)
    }

    static func fieldPath(_ text: String, at start: Int) throws(RQLError) -> FieldPath {
        guard !text.isEmpty else {
            throw RQLError(code: .invalidField, message: "expected a field name", position: start)
        }
        guard let path = FieldPath(dotted: text) else {
            throw RQLError(
                code: .invalidField,
                message: "invalid field path '\(text)'",
                position: start,
                hint: "field paths are names separated by single dots"
            )
        }
        return path
    }
}
