/// A strict RFC 8259 parser over UTF-8 bytes that keeps numbers exact and bounds nesting depth.
///
/// Invalid UTF-8, control characters in strings, lone surrogate escapes, trailing garbage and
/// nesting deeper than ``maximumDepth`` are reported as ``JSONParsingError`` with their position.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maximumDepth: Int

    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// Parses one JSON value that must fill the whole input (surrounding whitespace allowed).
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParsingError) -> JSON {
        let buffer = Array(bytes)
        var reader = Reader(bytes: buffer, maximumDepth: maximumDepth)
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < buffer.count {
            throw reader.error("unexpected content after the JSON value")
        }
        return value
    }
}

extension JSON {
    /// Parses JSON text; see ``JSONParser``.
    public init(parsing text: String, maximumDepth: Int = 64) throws(JSONParsingError) {
        self = try JSONParser(maximumDepth: maximumDepth).parse(text.utf8)
    }

    /// Parses UTF-8 JSON bytes; see ``JSONParser``.
    public init(parsing bytes: some Collection<UInt8>, maximumDepth: Int = 64) throws(JSONParsingError) {
        self = try JSONParser(maximumDepth: maximumDepth).parse(bytes)
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0
    /// The members of the objects being parsed, innermost last: an object's members are collected
    /// here and its dictionary built once at its end with the right capacity (growing a dictionary
    /// member by member rehashes it several times), and the storage serves every object.
    private var pendingMembers: [(key: String, value: JSON)] = []

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONParsingError {
        let position = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return JSONParsingError(offset: position, line: line, column: position - lineStart + 1, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParsingError) -> JSON {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(bytes[index]))', expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParsingError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            index + count <= bytes.count && bytes[index..<index + count].elementsEqual(expected)
        }
        guard matches else { throw error("invalid literal, expected '\(literal)'", at: start) }
        index += count
    }

    mutating func checkDepth(_ depth: Int) throws(JSONParsingError) {
        if depth > maximumDepth {
            throw error("nesting deeper than \(maximumDepth) levels")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParsingError) -> JSON {
        try checkDepth(depth)
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let first = pendingMembers.count
        defer { pendingMembers.removeSubrange(first...) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in an object")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            pendingMembers.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                // A repeated key keeps its last value.
                var members = [String: JSON](minimumCapacity: pendingMembers.count - first)
                for member in pendingMembers[first...] { members[member.key] = member.value }
                return .object(members)
            default: throw error("expected ',' or '}' after an object member")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParsingError) -> JSON {
        try checkDepth(depth)
        index += 1
        var elements: [JSON] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' after an array element")
            }
        }
    }

    mutating func parseNumber() throws(JSONParsingError) -> JSON {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, JSONNumber.isDigit(bytes[index]) else {
            throw error("invalid number, expected a digit")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, JSONNumber.isDigit(bytes[index]) {
                throw error("invalid number, leading zeros are not allowed")
            }
        } else {
            while index < bytes.count, JSONNumber.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, JSONNumber.isDigit(bytes[index]) else {
                throw error("invalid number, expected a digit after '.'")
            }
            while index < bytes.count, JSONNumber.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, JSONNumber.isDigit(bytes[index]) else {
                throw error("invalid number, expected a digit in the exponent")
            }
            while index < bytes.count, JSONNumber.isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // `-0` stays a JSONNumber so that it serializes as written.
        if isInteger, text != "-0", let value = Int64(text) {
            return .integer(value)
        }
        return .number(JSONNumber(validatedText: text))
    }

    mutating func parseString() throws(JSONParsingError) -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        var hasEscapes = false
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !hasEscapes {
                    let text = try decodeRun(runStart, index)
                    index += 1
                    return text
                }
                scalars.append(contentsOf: try decodeRun(runStart, index).unicodeScalars)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 {
                throw error("control character U+\(hex(UInt32(byte))) must be escaped in a string")
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                scalars.append(contentsOf: try decodeRun(runStart, index).unicodeScalars)
                scalars.append(try parseEscape())
                runStart = index
                continue
            }
            index += 1
        }
    }

    func decodeRun(_ start: Int, _ end: Int) throws(JSONParsingError) -> String {
        let slice = bytes[start..<end]
        if slice.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: slice, as: UTF8.self)
        }
        guard let text = String(validating: slice, as: UTF8.self) else {
            var offset = start
            var decoder = UTF8()
            var iterator = slice.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput, .error: break loop
                }
            }
            throw error("invalid UTF-8 in a string", at: offset)
        }
        return text
    }

    mutating func parseEscape() throws(JSONParsingError) -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else { throw error("unterminated escape sequence") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800...0xDBFF).contains(high) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("lone high surrogate \\u\(hex(high)) in a string") }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("invalid low surrogate \\u\(hex(low)) in a string")
                }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw error("lone low surrogate \\u\(hex(high)) in a string")
            }
            return scalar
        default:
            throw error("invalid escape '\\\(printable(byte))' in a string", at: index - 2)
        }
    }

    mutating func parseHex4() throws(JSONParsingError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("expected four hex digits after \\u")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + hex(UInt32(byte))
    }

    func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
