extension ODataReader {
    /// `binaryLiteral`: `binary'…'` around base64url text (padding optional).
    mutating func readBinaryLiteral() throws(ODataQueryError) -> ODataLiteral {
        guard consumeCaseInsensitive("binary") else { throw fail(expected: "'binary'") }
        try expect("'")
        let bytes = try readBinaryValue()
        try expect("'")
        return .binary(bytes)
    }

    /// `binaryValue`: groups of four base64url characters, then an optional final group of two
    /// or three (whose last character must leave no stray bits), optionally padded with `=`.
    mutating func readBinaryValue() throws(ODataQueryError) -> [UInt8] {
        var sextets: [UInt8] = []
        while let byte = byte(), let value = Self.base64Value(byte), !units[index].escaped {
            sextets.append(value)
            index += 1
        }
        let remainder = sextets.count % 4
        if remainder == 1 { throw fail(expected: "a base64url character") }
        if remainder > 0, let last = sextets.last {
            // Two characters carry 8 bits (the last one's low 4 bits zero), three carry 16 (low 2 zero).
            let mask: UInt8 = remainder == 2 ? 0x0F : 0x03
            guard last & mask == 0 else { throw fail(.invalidValue, "invalid base64url ending", at: index - 1) }
            for _ in 0..<(4 - remainder) where peekLiteral("=") { index += 1 }
        }
        var bytes: [UInt8] = []
        var chunk = 0
        while chunk < sextets.count {
            let group = Array(sextets[chunk..<min(chunk + 4, sextets.count)])
            let value =
                group.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (18 - 6 * UInt32($1.offset)) }
            let produced = group.count - 1
            for position in 0..<produced { bytes.append(UInt8(truncatingIfNeeded: value >> (16 - 8 * position))) }
            chunk += 4
        }
        return bytes
    }

    static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): return 62
        case UInt8(ascii: "_"): return 63
        default: return nil
        }
    }

    /// `enumLiteral`: `[Namespace.EnumType] '…'` with members or integers separated by commas.
    mutating func readEnumLiteral(requireType: Bool) throws(ODataQueryError) -> ODataLiteral {
        let type = consumeName(qualified: true, where: names.enumerationTypeNames.contains)
        if type == nil, requireType { throw fail(expected: "a literal") }
        try expect("'")
        var members: [String] = []
        repeat {
            members.append(try readEnumMember(urlForm: true))
        } while consume(",")
        try expect("'")
        return .enumeration(type: type, members: members)
    }

    /// `enumValue` (CSDL form): members or integers separated by literal commas.
    mutating func readEnumValue() throws(ODataQueryError) -> ODataLiteral {
        var members: [String] = []
        repeat {
            members.append(try readEnumMember(urlForm: false))
        } while consumeUnencoded(",")
        return .enumeration(type: nil, members: members)
    }

    private mutating func readEnumMember(urlForm: Bool) throws(ODataQueryError) -> String {
        if let (name, end) = peekIdentifier() {
            guard names.enumerationMembers.contains(name) else {
                throw fail(.unknownName, "unknown enumeration member '\(name)'", at: index)
            }
            index = end
            return name
        }
        guard case .number(let text) = try readInteger(digits: 19, urlForm: urlForm) else {
            throw fail(expected: "an enumeration member")
        }
        return text
    }
}
