extension NGSILDReader {
    /// The names of `[[:name:]]` classes.
    static let characterClasses: Set<String> = [
        "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit",
    ]

    /// Reads a bracket expression such as `[a-z_]`, `[^0-9]` or `[[:alpha:]]`.
    ///
    /// Where regex engines read brackets differently, the spelling that means the same to all of
    /// them is required: `\` escapes punctuation inside brackets as outside; `]` and `[` are written
    /// `\]` and `\[`; a `-` between a range or class and another item is written `\-`, a `:` first
    /// `\:`, a `&` that starts a range `\&`; `&&` and `--` (set intersection and difference to ICU)
    /// are refused, as are `[=a=]` and `[.a.]`.
    mutating func readBracketExpression() throws(NGSILDQueryError) {
        let open = index
        index += 1
        if peek(":") {
            // ICU reads `[:…:]` as a class of its own.
            guard className(from: index + 1) == nil else {
                throw error(
                    .invalidPattern,
                    "a character class is written inside brackets, as in [[:alpha:]]",
                    at: open
                )
            }
            throw error(.invalidPattern, "write '\\:' for a ':' first in a bracket expression")
        }
        _ = consume("^")
        if peek("]") {
            throw error(.invalidPattern, "empty bracket expression; write '\\]' for the character")
        }
        var rangeStart: (character: Unicode.Scalar, position: Int)?
        var isFirst = true
        while !consume("]") {
            guard let (character, _) = scalar(at: index) else { throw error(.invalidPattern, "expected ']'") }
            let start = index
            switch character {
            case "[":
                try readCharacterClass()
                rangeStart = nil
            case "&" where peek("&", ahead: 1), "-" where peek("-", ahead: 1):
                let pair = "\(character)\(character)"
                throw error(
                    .invalidPattern,
                    "'\(pair)' in a bracket expression is not portable; write '\\\(character)'"
                )
            case "-" where !isFirst && !peek("]", ahead: 1):
                guard let lower = rangeStart else {
                    throw error(.invalidPattern, "write '\\-' for a '-' after a range or class")
                }
                index += 1
                let upper = try readBracketCharacter()
                guard lower.character.value <= upper.value else {
                    throw error(.invalidPattern, "invalid range '\(text(lower.position, index))'", at: lower.position)
                }
                rangeStart = nil
            case "&" where peek("-", ahead: 1) && !peek("]", ahead: 2):
                throw error(.invalidPattern, "write '\\&' for a '&' that starts a range")
            default:
                let single = try readBracketCharacter()
                rangeStart = (single, start)
            }
            isFirst = false
        }
    }

    /// One character inside brackets, escaped or not.
    private mutating func readBracketCharacter() throws(NGSILDQueryError) -> Unicode.Scalar {
        guard let (character, length) = scalar(at: index) else { throw error(.invalidPattern, "expected ']'") }
        switch character {
        case "\\":
            return try readEscape()
        case "[", "]":
            throw error(.invalidPattern, "expected a character to end the range")
        default:
            index += length
            return character
        }
    }

    /// Reads `[:name:]` at `[`, refusing `[=a=]`, `[.a.]` and a nested `[`.
    private mutating func readCharacterClass() throws(NGSILDQueryError) {
        let start = index
        guard peek(":", ahead: 1) else {
            if peek("=", ahead: 1) || peek(".", ahead: 1) {
                throw error(.invalidPattern, "equivalence classes and collating elements are not supported")
            }
            throw error(.invalidPattern, "write '\\[' for a '[' inside a bracket expression")
        }
        guard let name = className(from: start + 2) else {
            throw error(.invalidPattern, "expected a character class such as [:alpha:]")
        }
        guard Self.characterClasses.contains(name) else {
            throw error(.invalidPattern, "unknown character class '[:\(name):]'")
        }
        index = start + name.utf8.count + 4
    }

    /// The lowercase letters from `offset` when `:]` follows them.
    private func className(from offset: Int) -> String? {
        var end = offset
        while end < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end]) { end += 1 }
        guard end > offset, end + 1 < bytes.count, bytes[end] == UInt8(ascii: ":"),
            bytes[end + 1] == UInt8(ascii: "]")
        else { return nil }
        return text(offset, end)
    }
}
