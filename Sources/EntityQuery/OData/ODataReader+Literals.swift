extension ODataReader {
    /// `primitiveLiteral`: null, booleans, guids, dates and times, numbers, strings, durations,
    /// enumerations, binary and geo literals. An unprefixed `'…'` is a string (it may later stand
    /// for a duration or enumeration member, which the translator decides by type).
    mutating func readPrimitiveLiteral() throws(ODataQueryError) -> ODataLiteral {
        let start = index
        if consumeKeywordExactly("null") { return .null }
        if let value = consumeBoolean() { return .boolean(value) }
        if isGuidAhead, let literal = attempt({ reader throws(ODataQueryError) in try reader.readGuid() }) {
            return literal
        }
        if let literal = attempt({ reader throws(ODataQueryError) in
            try reader.readDateTimeOffset(urlForm: true, lenient: true)
        }) {
            return literal
        }
        if let literal = attempt({ reader throws(ODataQueryError) in try reader.readDateLiteral() }) {
            return literal
        }
        if let literal = attempt({ reader throws(ODataQueryError) in try reader.readTimeOfDay(urlForm: true) }) {
            return literal
        }
        if let literal = attempt({ reader throws(ODataQueryError) in try reader.readNumber(urlForm: true) }) {
            return literal
        }
        if peek("'") { return .string(try readString()) }
        if let literal = attempt({ reader throws(ODataQueryError) in try reader.readPrefixedLiteral() }) {
            return literal
        }
        index = start
        throw fail(expected: "a literal")
    }

    /// A literal with a type prefix: `duration'…'`, `binary'…'`, `geography'…'`, `geometry'…'`,
    /// `Namespace.Enum'…'`.
    mutating func readPrefixedLiteral() throws(ODataQueryError) -> ODataLiteral {
        let start = index
        if consumeCaseInsensitive("duration"), peek("'") {
            index = start
            return try readDurationLiteral()
        }
        index = start
        if consumeCaseInsensitive("binary"), peek("'") {
            index = start
            return try readBinaryLiteral()
        }
        index = start
        for prefix in ["geography", "geometry"] where consumeCaseInsensitive(prefix) {
            if peek("'") {
                index = start
                return try readGeoLiteral()
            }
            index = start
        }
        return try readEnumLiteral(requireType: true)
    }

    /// Consumes a case-sensitive keyword (`null`, `INF`, `$it`) not followed by an identifier character.
    mutating func consumeKeywordExactly(_ word: String) -> Bool {
        let start = index
        guard consumeExactly(word) else { return false }
        if let next = byte(), Self.isIdentifierByte(next) {
            index = start
            return false
        }
        return true
    }

    /// `boolean`: `true` or `false` in any case.
    mutating func consumeBoolean() -> Bool? {
        if consumeKeyword("true") { return true }
        if consumeKeyword("false") { return false }
        return nil
    }

    /// Reads `count` digits (exactly), or fails expecting a digit.
    mutating func readDigits(_ count: Int) throws(ODataQueryError) -> String {
        var text = ""
        for _ in 0..<count {
            guard let byte = byte(), ODataUnit.isDigit(byte), !units[index].escaped else {
                throw fail(expected: "a digit")
            }
            text.unicodeScalars.append(Unicode.Scalar(byte))
            index += 1
        }
        return text
    }

    /// Reads one or more digits (at most `maximum`).
    mutating func readDigitRun(maximum: Int = .max) throws(ODataQueryError) -> String {
        var text = ""
        while text.utf8.count < maximum, let byte = byte(), ODataUnit.isDigit(byte), !units[index].escaped {
            text.unicodeScalars.append(Unicode.Scalar(byte))
            index += 1
        }
        guard !text.isEmpty else { throw fail(expected: "a digit") }
        return text
    }

    /// `SIGN` (`+`, `%2B` in URL form, `-`) or `"+" / "-"` (value form): the sign, if any.
    mutating func consumeSign(urlForm: Bool) -> String? {
        if consumeLiteral("-") { return "-" }
        if urlForm ? consume("+") : consumeLiteral("+") { return "+" }
        return nil
    }

    /// `decimalLiteral` (URL form) or `decimalValue`: `[sign] digits [. digits] [e [sign] digits]`,
    /// `NaN`, `INF`, `-INF`.
    mutating func readNumber(urlForm: Bool) throws(ODataQueryError) -> ODataLiteral {
        if consumeKeywordExactly("NaN") { return .notANumber }
        if consumeKeywordExactly("INF") { return .infinity }
        if consumeKeywordExactly("-INF") { return .negativeInfinity }
        var text = consumeSign(urlForm: urlForm) == "-" ? "-" : ""
        var integer = try readDigitRun()
        while integer.count > 1, integer.hasPrefix("0") { integer.removeFirst() }
        text += integer
        if consumeLiteral(".") { text += "." + (try readDigitRun()) }
        if let byte = byte(), byte | 0x20 == UInt8(ascii: "e"), !units[index].escaped {
            index += 1
            text += "e"
            if consumeSign(urlForm: urlForm) == "-" { text += "-" }
            text += try readDigitRun()
        }
        return .number(text)
    }

    /// `sbyteValue`, `int16Literal`…: an integer of at most `digits` digits (the grammar leaves
    /// ranges to the type, so `+128` is an `sbyteLiteral`).
    mutating func readInteger(digits: Int, urlForm: Bool, signed: Bool = true) throws(ODataQueryError) -> ODataLiteral {
        let sign = signed ? consumeSign(urlForm: urlForm) : nil
        var text = try readDigitRun(maximum: digits)
        if let next = byte(), ODataUnit.isDigit(next) { throw fail(expected: "at most \(digits) digits") }
        while text.count > 1, text.hasPrefix("0") { text.removeFirst() }
        return .number((sign == "-" ? "-" : "") + text)
    }

    /// `stringLiteral`: `'…'` with `''` for a quote; quotes may be written `%27`. In a resource
    /// path only path characters may appear inside (a `/` must be `%2F`).
    mutating func readString() throws(ODataQueryError) -> String {
        let start = index
        try expect("'")
        var bytes: [UInt8] = []
        while true {
            guard let byte = byte() else { throw fail(expected: "a closing quote") }
            if byte == UInt8(ascii: "'") {
                if peek("'", ahead: 1) {
                    bytes.append(byte)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            guard units[index].escaped || isStringByte(byte) else { throw fail(expected: "a closing quote") }
            bytes.append(byte)
            index += 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failFatally(.invalidValue, "invalid UTF-8 in a string", at: start)
        }
        return text
    }

    /// Whether a literal (unescaped) `byte` may stand in a string literal: `pchar` in a path;
    /// anything but controls and `#` in a query.
    private func isStringByte(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        guard byte >= 0x20, byte != 0x7F, byte != UInt8(ascii: "#") else { return byte == 0x09 && !inPath }
        guard inPath else { return true }
        return ODataUnit.isUnreserved(byte) || Array("!$&()*+,;=:@".utf8).contains(byte)
    }

    /// Whether eight hexadecimal digits and a `-` are next (a guid, not a name such as `abc`).
    var isGuidAhead: Bool {
        (0..<8).allSatisfy { byte(ahead: $0).map(ODataUnit.isHexDigit) ?? false } && peekLiteral("-", ahead: 8)
    }

    /// `guid`: 8-4-4-4-12 hexadecimal digits.
    mutating func readGuid() throws(ODataQueryError) -> ODataLiteral {
        var text = ""
        for (group, count) in [8, 4, 4, 4, 12].enumerated() {
            if group > 0 { try expectLiteral("-") }
            for _ in 0..<count {
                guard let byte = byte(), ODataUnit.isHexDigit(byte), !units[index].escaped else {
                    throw fail(expected: "a hexadecimal digit")
                }
                text.unicodeScalars.append(Unicode.Scalar(byte))
                index += 1
            }
            if group < 4 { text += "-" }
        }
        if let next = byte(), Self.isIdentifierByte(next) { throw fail(expected: "the end of the guid") }
        return .guid(text.lowercased())
    }
}
