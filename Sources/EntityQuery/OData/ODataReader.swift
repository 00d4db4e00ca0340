/// A recursive-descent reader of OData URL text (already split into ``ODataUnit``s), with
/// backtracking where the grammar needs it.
///
/// Every failed expectation is recorded with its position; when a parse fails, the error reports
/// the *farthest* position any alternative reached, and everything expected there. That is where
/// the text stops making sense, which is also how the OASIS ABNF test tool counts.
struct ODataReader {
    let raw: [UInt8]
    let units: [ODataUnit]
    let names: ODataNameModel
    let maximumDepth: Int
    var index = 0
    var depth = 0
    /// Inside a resource path, where string literals are limited to path characters.
    var inPath = false
    /// Lambda variables in scope, innermost last.
    var lambdaVariables: [String] = []
    private(set) var farthest = -1
    private var expectations: [String] = []
    private var farthestError: ODataQueryError?
    /// A failure no alternative can avoid (too deep, invalid UTF-8): reported as it is.
    private(set) var fatal: ODataQueryError?
    /// Character offset of each raw byte (and of the end); `nil` when the text is ASCII, where
    /// the two agree.
    private let characterOffsets: [Int]?

    init(raw: [UInt8], units: [ODataUnit], names: ODataNameModel, maximumDepth: Int) {
        self.raw = raw
        self.units = units
        self.names = names
        self.maximumDepth = maximumDepth
        self.characterOffsets = Self.characterOffsets(of: raw)
    }

    private static func characterOffsets(of raw: [UInt8]) -> [Int]? {
        guard !raw.allSatisfy({ $0 < 0x80 }), let text = String(validating: raw, as: UTF8.self) else { return nil }
        var table = [Int](repeating: 0, count: raw.count + 1)
        var character = 0
        var byte = 0
        for element in text {
            for _ in element.utf8 {
                table[byte] = character
                byte += 1
            }
            character += 1
        }
        table[raw.count] = character
        return table
    }

    /// The character offset in the raw text of unit `position` (or of the end).
    func offset(_ position: Int) -> Int {
        let byteOffset = position < units.count ? units[position].offset : raw.count
        return characterOffsets?[byteOffset] ?? byteOffset
    }

    var isAtEnd: Bool { index >= units.count }

    /// The byte at `index + ahead` (either form), or `nil` at the end.
    func byte(ahead: Int = 0) -> UInt8? {
        index + ahead < units.count ? units[index + ahead].byte : nil
    }

    /// Whether `character` is next, literal or percent-encoded.
    func peek(_ character: Unicode.Scalar, ahead: Int = 0) -> Bool {
        byte(ahead: ahead) == UInt8(ascii: character)
    }

    /// Whether `character` is next, written literally.
    ///
    /// In query option values, clients percent-encode the delimiters `/ ( ) , ; = :` (python-odata
    /// sends `%2F` in `category%2Ftitle`, `requests` encodes `$expand` options): there the encoded
    /// form counts as written. In resource paths it does not (`%2F` belongs to a key).
    func peekLiteral(_ character: Unicode.Scalar, ahead: Int = 0) -> Bool {
        guard index + ahead < units.count, units[index + ahead].byte == UInt8(ascii: character) else { return false }
        return !units[index + ahead].escaped || (!inPath && Self.encodedDelimiters.contains(character))
    }

    /// Delimiters whose percent-encoded form is read as the delimiter in query option values.
    static let encodedDelimiters: Set<Unicode.Scalar> = ["/", "(", ")", ",", ";", "=", ":"]

    /// Consumes `character` in either form.
    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard peek(character) else { return false }
        index += 1
        return true
    }

    /// Consumes `character` written literally.
    mutating func consumeLiteral(_ character: Unicode.Scalar) -> Bool {
        guard peekLiteral(character) else { return false }
        index += 1
        return true
    }

    /// Consumes `character` (either form) or fails expecting it.
    mutating func expect(_ character: Unicode.Scalar) throws(ODataQueryError) {
        guard consume(character) else { throw fail(expected: "'\(character)'") }
    }

    /// Consumes `character` written literally, never its encoded form (payload literals: `11:22:33`).
    mutating func consumeUnencoded(_ character: Unicode.Scalar) -> Bool {
        guard index < units.count, units[index].byte == UInt8(ascii: character), !units[index].escaped else {
            return false
        }
        index += 1
        return true
    }

    /// Consumes `character` written literally or fails expecting it.
    mutating func expectLiteral(_ character: Unicode.Scalar) throws(ODataQueryError) {
        guard consumeLiteral(character) else { throw fail(expected: "'\(character)'") }
    }

    /// Consumes `text` exactly (case-sensitive, literal characters).
    mutating func consumeExactly(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard index + bytes.count <= units.count else { return false }
        for (offset, byte) in bytes.enumerated() {
            let unit = units[index + offset]
            guard unit.byte == byte,
                !unit.escaped || ODataUnit.isUnreserved(byte)
                    || (!inPath && Self.encodedDelimiters.contains(Unicode.Scalar(byte)))
            else { return false }
        }
        index += bytes.count
        return true
    }

    /// Consumes the ASCII word `text` in any letter case.
    mutating func consumeCaseInsensitive(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard index + bytes.count <= units.count else { return false }
        for (offset, byte) in bytes.enumerated() where units[index + offset].byte | 0x20 != byte | 0x20 {
            return false
        }
        for (offset, byte) in bytes.enumerated() where !ODataUnit.isAlpha(byte) {
            guard units[index + offset].byte == byte, !units[index + offset].escaped else { return false }
        }
        index += bytes.count
        return true
    }

    /// Consumes the keyword `word` (any case) when no identifier character follows it.
    mutating func consumeKeyword(_ word: String) -> Bool {
        let start = index
        guard consumeCaseInsensitive(word) else { return false }
        if let next = byte(), ODataUnit.isAlpha(next) || ODataUnit.isDigit(next) || next == UInt8(ascii: "_") {
            index = start
            return false
        }
        return true
    }

    /// Whether a space or tab (literal or `%20`/`%09`) is next.
    var atSpace: Bool { byte() == 0x20 || byte() == 0x09 }

    /// `BWS`: skips spaces and tabs.
    mutating func skipSpaces() {
        while atSpace { index += 1 }
    }

    /// `RWS`: one or more spaces or tabs; `false` (nothing consumed) when there is none.
    mutating func consumeSpaces() -> Bool {
        guard atSpace else { return false }
        skipSpaces()
        return true
    }

    /// Fails unless everything was read.
    mutating func expectEnd() throws(ODataQueryError) {
        guard isAtEnd else { throw fail(expected: "the end of the input") }
    }

    /// Runs `body`; on failure restores the position (and the lambda scope) and returns `nil`.
    mutating func attempt<T>(_ body: (inout ODataReader) throws(ODataQueryError) -> T) -> T? {
        let savedIndex = index
        let savedVariables = lambdaVariables
        let savedDepth = depth
        do {
            return try body(&self)
        } catch {
            index = savedIndex
            lambdaVariables = savedVariables
            depth = savedDepth
            return nil
        }
    }

    /// Counts one level of nesting; fails when deeper than ``maximumDepth``.
    mutating func enter() throws(ODataQueryError) {
        depth += 1
        guard depth <= maximumDepth else {
            let error = failure(.tooDeep, "expressions nested deeper than \(maximumDepth) levels", at: index)
            fatal = fatal ?? error
            throw error
        }
    }

    mutating func leave() { depth -= 1 }
}

extension ODataReader {
    /// Records that `what` was expected at `position` (default: here) and returns the error.
    mutating func fail(expected what: String, at position: Int? = nil) -> ODataQueryError {
        let position = position ?? index
        if position > farthest {
            farthest = position
            expectations = [what]
            farthestError = nil
        } else if position == farthest, farthestError == nil, !expectations.contains(what) {
            expectations.append(what)
        }
        return failure(.syntax, "expected \(what)", at: position)
    }

    /// Records a mistake other than a missing token at `position` and returns the error.
    mutating func fail(_ code: ODataQueryError.Code, _ message: String, at position: Int) -> ODataQueryError {
        let error = failure(code, message, at: position)
        if position > farthest || (position == farthest && farthestError == nil && expectations.isEmpty) {
            farthest = position
            expectations = []
            farthestError = error
        }
        return error
    }

    /// Records an error nothing can recover from (invalid UTF-8, too deep) and returns it.
    mutating func failFatally(_ code: ODataQueryError.Code, _ message: String, at position: Int) -> ODataQueryError {
        let error = failure(code, message, at: position)
        fatal = fatal ?? error
        return error
    }

    /// An error at unit `position` (reported as a character offset).
    func failure(_ code: ODataQueryError.Code, _ message: String, at position: Int) -> ODataQueryError {
        ODataQueryError(code: code, message: message, position: offset(position), token: token(at: position))
    }

    /// The error to report for a failed parse: a fatal one, else the farthest failure (with
    /// everything expected there), else `error`.
    func finalError(_ error: ODataQueryError, option: String?) -> ODataQueryError {
        var chosen = error
        if let fatal {
            chosen = fatal
        } else if let farthestError {
            chosen = farthestError
        } else if !expectations.isEmpty {
            let list =
                expectations.count == 1
                ? expectations[0] : expectations.dropLast().joined(separator: ", ") + " or " + expectations.last!
            chosen = failure(.syntax, "expected \(list)", at: farthest)
        }
        return chosen.relocated(to: chosen.position, option: option)
    }

    /// The raw text of units `start..<end`.
    func rawText(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        let from = units[start].offset
        let to = end < units.count ? units[end].offset : raw.count
        return String(decoding: raw[from..<to], as: UTF8.self)
    }

    /// What is at unit `position`, for messages: a name, one character, or `end of input`.
    func token(at position: Int) -> String {
        guard position < units.count else { return "end of input" }
        var end = position
        while end < units.count, end - position < 40, Self.isIdentifierByte(units[end].byte) {
            end += 1
        }
        return rawText(position, max(end, position + 1))
    }
}
