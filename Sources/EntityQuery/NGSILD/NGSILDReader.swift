/// A recursive-descent reader over the UTF-8 bytes of one NGSI-LD query parameter.
///
/// Positions are byte offsets into ``bytes`` until ``NGSILDQueryParser`` turns them into character
/// offsets. The grammar has no white space: a space outside a quoted string is an error.
struct NGSILDReader {
    let bytes: [UInt8]
    /// The URL parameter being read (`q`, `scopeQ`, `type`), named in errors.
    let parameter: String
    let maximumDepth: Int
    var index = 0

    var isAtEnd: Bool { index >= bytes.count }

    /// Whether `character` is at `index + ahead`.
    func peek(_ character: Unicode.Scalar, ahead: Int = 0) -> Bool {
        index + ahead < bytes.count && bytes[index + ahead] == UInt8(ascii: character)
    }

    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek(character) else { return false }
        index += 1
        return true
    }

    /// An error at `position` (the current one when `nil`).
    func error(_ code: NGSILDQueryError.Code, _ message: String, at position: Int? = nil) -> NGSILDQueryError {
        NGSILDQueryError(parameter: parameter, code: code, message: message, position: position ?? index)
    }

    /// The scalar starting at byte `offset` and its length in bytes; `nil` at the end.
    func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard offset < bytes.count else { return nil }
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard offset + length <= bytes.count,
            let decoded = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self).unicodeScalars.first
        else { return nil }
        return (decoded, length)
    }

    /// The character at `offset` for messages: `'x'`, or `the end`.
    func shown(at offset: Int) -> String {
        guard let (character, _) = scalar(at: offset) else { return "the end" }
        return "'\(character)'"
    }

    /// Text of `bytes[start..<end]`.
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

extension NGSILDReader {
    /// `unicodeLetter` of the grammar: a letter of any script.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `TermChar` of the grammar: a letter, a number of any script, or `_`.
    static func isTermCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return scalar == "_" || isLetter(scalar)
        }
    }

    /// Reads `unicodeLetter *TermChar`: an attribute name, entity type or scope level. `role` names it
    /// in errors, e.g. `an attribute name`.
    mutating func readName(_ role: String) throws(NGSILDQueryError) -> String {
        let start = index
        guard let (first, _) = scalar(at: index), Self.isTermCharacter(first) else {
            throw error(.invalidName, "expected \(role)")
        }
        guard Self.isLetter(first) else {
            throw error(.invalidName, "\(role) must start with a letter")
        }
        while let (next, length) = scalar(at: index), Self.isTermCharacter(next) {
            index += length
        }
        return text(start, index)
    }

    private static let delimiters = Array(",;|()".utf8)

    /// Whether byte `offset` ends an unquoted URI or entity type: `,` `;` `|` `(` `)` or the end.
    func isDelimiter(at offset: Int) -> Bool {
        guard offset < bytes.count else { return true }
        return Self.delimiters.contains(bytes[offset])
    }

    /// Reads an IRI, compact IRI or URN (`urn:ngsi-ld:City:Pisa`, `https://example.org/ns#Vehicle`,
    /// `ngsi-ld:Building`) up to the next `,` `;` `|` `(` `)` or the end; `role` names it in errors,
    /// which have the given `code`.
    ///
    /// The prefix before the first `:` is a letter followed by letters, digits, `+ - . _`; after it
    /// come any characters but spaces, controls, the backquote and `"`, `<`, `>`, `\`, `^`, `{`, `}`.
    mutating func readIRI(
        _ role: String,
        code: NGSILDQueryError.Code = .invalidValue
    ) throws(NGSILDQueryError) -> String {
        let start = index
        guard let (first, _) = scalar(at: index), first.isASCII, Self.isLetter(first) else {
            throw error(code, "expected \(role)")
        }
        while index < bytes.count, Self.isSchemeByte(bytes[index]) { index += 1 }
        guard consume(":") else {
            throw error(code, "expected ':' in \(role)")
        }
        guard !isDelimiter(at: index) else {
            throw error(code, "expected the rest of \(role) after ':'")
        }
        while !isDelimiter(at: index) {
            let byte = bytes[index]
            guard byte > 0x20, byte != 0x7F, !Array(#""<>\^`{}"#.utf8).contains(byte) else {
                throw error(code, "\(shown(at: index)) cannot be part of \(role)")
            }
            index += 1
        }
        return text(start, index)
    }

    /// Letters, digits and `+ - . _`: the characters of a URI scheme or compact IRI prefix.
    static func isSchemeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("+-._".utf8).contains(byte)
        }
    }
}
