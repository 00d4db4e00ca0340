extension ODataReader {
    /// `commonExpr` (and `boolCommonExpr`) with OData's operator precedence: `or` < `and` <
    /// `eq ne` < `lt le gt ge` < `add sub` < `mul div divby mod` < `not`, `-` < `has`, `in`.
    mutating func readCommonExpression() throws(ODataQueryError) -> ODataExpression {
        try enter()
        defer { leave() }
        return try readBinary(minimumPrecedence: 1)
    }

    private mutating func readBinary(minimumPrecedence: Int) throws(ODataQueryError) -> ODataExpression {
        var left = try readUnary()
        while true {
            let save = index
            guard consumeSpaces() else { break }
            guard let op = peekBinaryOperator() else {
                _ = fail(expected: "an operator")
                index = save
                break
            }
            guard op.operator.precedence >= minimumPrecedence, peekSpace(at: op.end) else {
                index = save
                break
            }
            index = op.end
            _ = consumeSpaces()
            let right = try readBinary(minimumPrecedence: op.operator.precedence + 1)
            left = ODataExpression(.binary(op.operator, left, right), at: left.position)
        }
        return left
    }

    private func peekSpace(at position: Int) -> Bool {
        position < units.count && (units[position].byte == 0x20 || units[position].byte == 0x09)
    }

    /// The binary operator keyword here (any case) and the index after it.
    private func peekBinaryOperator() -> (operator: ODataBinaryOperator, end: Int)? {
        guard let (word, end) = peekIdentifier() else { return nil }
        guard let op = ODataBinaryOperator(rawValue: word.lowercased()) else { return nil }
        return (op, end)
    }

    /// `not`, `-` or a primary expression followed by `has` / `in`.
    private mutating func readUnary() throws(ODataQueryError) -> ODataExpression {
        let start = index
        if let (word, end) = peekIdentifier(), word.lowercased() == "not",
            peekSpace(at: end) || (end < units.count && units[end].byte == UInt8(ascii: "("))
        {
            index = end
            _ = consumeSpaces()
            try enter()
            defer { leave() }
            return ODataExpression(.not(try readUnary()), at: offset(start))
        }
        if peekLiteral("-"), !isNegativeLiteralAhead() {
            index += 1
            skipSpaces()
            try enter()
            defer { leave() }
            return ODataExpression(.negate(try readUnary()), at: offset(start))
        }
        var primary = try readPrimary()
        while true {
            let save = index
            guard consumeSpaces() else { break }
            if consumeKeyword("has"), consumeSpaces() {
                let literal = try readEnumLiteral(requireType: false)
                primary = ODataExpression(.has(primary, literal), at: primary.position)
            } else if consumeKeyword("in"), consumeSpaces() {
                let right = try readInOperand()
                primary = ODataExpression(.in(primary, right), at: primary.position)
            } else {
                index = save
                break
            }
        }
        return primary
    }

    /// Whether a `-` here starts a literal (`-1`, `-INF`, a negative year) rather than a negation.
    private func isNegativeLiteralAhead() -> Bool {
        guard let next = byte(ahead: 1) else { return false }
        return ODataUnit.isDigit(next) || (next == UInt8(ascii: "I") && byte(ahead: 2) == UInt8(ascii: "N"))
    }

    /// The right side of `in`: a list of literals `(…)`, or an expression (array, alias, path,
    /// parenthesized expression).
    private mutating func readInOperand() throws(ODataQueryError) -> ODataExpression {
        let start = index
        if peek("("), let list = attempt({ reader throws(ODataQueryError) in try reader.readListExpression() }) {
            return ODataExpression(.list(list), at: offset(start))
        }
        return try readPrimary()
    }

    /// `listExpr`: `(` literals separated by commas `)`, possibly empty.
    private mutating func readListExpression() throws(ODataQueryError) -> [ODataExpression] {
        try expect("(")
        skipSpaces()
        var items: [ODataExpression] = []
        if consume(")") { return items }
        repeat {
            skipSpaces()
            let start = index
            items.append(ODataExpression(.literal(try readPrimitiveLiteral()), at: offset(start)))
            skipSpaces()
        } while consume(",")
        try expect(")")
        return items
    }

    /// A literal, JSON array/object, `$root/…`, `$it`, `$this`, alias, method or function call,
    /// parenthesized expression, `cast`/`isof`, or a member path.
    mutating func readPrimary() throws(ODataQueryError) -> ODataExpression {
        let start = index
        if let literal = attempt({ reader throws(ODataQueryError) in try reader.readPrimitiveLiteral() }) {
            if let next = byte(), Self.isIdentifierByte(next) || next == UInt8(ascii: "(") {
                index = start
            } else {
                return ODataExpression(.literal(literal), at: offset(start))
            }
        }
        if peek("[") || peek("{") { return try readArrayOrObject() }
        if peek("(") {
            index += 1
            skipSpaces()
            let inner = try readCommonExpression()
            skipSpaces()
            try expect(")")
            return inner
        }
        if consumeExactly("$root/") {
            return ODataExpression(.path(.root, try readRootPath()), at: offset(start))
        }
        if peek("@") { return try readAliasOrAnnotation() }
        if let call = try readMethodCall() { return call }
        return try readFirstMember()
    }

    /// `@alias [/ member]`, or an annotation `@Namespace.Term…` with its path.
    private mutating func readAliasOrAnnotation() throws(ODataQueryError) -> ODataExpression {
        let start = index
        index += 1
        guard let (parts, _) = peekDottedName() else { throw fail(expected: "an alias name") }
        if parts.count == 1 {
            let name = try readIdentifier("an alias name")
            return ODataExpression(.path(.alias(name), try readOptionalMemberTail(after: nil)), at: offset(start))
        }
        index = start
        return ODataExpression(.path(.implicit, try readAnnotationExpression()), at: offset(start))
    }

    /// `["/" memberExpr]` (or a lambda, `$count`…) after `$it`, `$this`, an alias or a variable.
    mutating func readOptionalMemberTail(after shape: ODataShape?) throws(ODataQueryError) -> [ODataSegment] {
        optionally { reader throws(ODataQueryError) in try reader.readContinuation(shape) }
    }

    /// `arrayOrObject`: `[…]` of values, `{…}` of `"name": value` members.
    mutating func readArrayOrObject() throws(ODataQueryError) -> ODataExpression {
        try enter()
        defer { leave() }
        let start = index
        if consume("[") {
            skipSpaces()
            var items: [ODataExpression] = []
            if !peek("]") {
                repeat {
                    skipSpaces()
                    items.append(try readValueInURL())
                    skipSpaces()
                } while consume(",")
            }
            skipSpaces()
            try expect("]")
            return ODataExpression(.array(items), at: offset(start))
        }
        try expect("{")
        skipSpaces()
        var members: [ODataObjectMember] = []
        if !peek("}") {
            repeat {
                skipSpaces()
                let name = try readJSONString()
                skipSpaces()
                try expect(":")
                skipSpaces()
                members.append(ODataObjectMember(name: name, value: try readValueInURL()))
                skipSpaces()
            } while consume(",")
        }
        skipSpaces()
        try expect("}")
        return ODataExpression(.object(members), at: offset(start))
    }

    /// `valueInUrl`: a JSON string or an expression.
    private mutating func readValueInURL() throws(ODataQueryError) -> ODataExpression {
        let start = index
        if peek("\"") { return ODataExpression(.jsonString(try readJSONString()), at: offset(start)) }
        return try readCommonExpression()
    }

    /// `stringInUrl`: a JSON string whose quotes and backslashes may be percent-encoded.
    mutating func readJSONString() throws(ODataQueryError) -> String {
        let start = index
        try expect("\"")
        var scalars = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        func flush() throws(ODataQueryError) {
            guard !bytes.isEmpty else { return }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw failure(.invalidValue, "invalid UTF-8 in a string", at: start)
            }
            scalars.append(contentsOf: text.unicodeScalars)
            bytes = []
        }
        while true {
            guard let byte = byte(), byte != UInt8(ascii: "&") || units[index].escaped,
                byte != UInt8(ascii: "#") || units[index].escaped, byte >= 0x20
            else { throw fail(expected: "'\"'") }
            index += 1
            if byte == UInt8(ascii: "\"") { break }
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                continue
            }
            try flush()
            scalars.append(try readJSONEscape())
        }
        try flush()
        return String(scalars)
    }

    private mutating func readJSONEscape() throws(ODataQueryError) -> Unicode.Scalar {
        guard let byte = byte() else { throw fail(expected: "an escape sequence") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = self.byte().flatMap(ODataUnit.hexValue) else {
                    throw fail(expected: "a hexadecimal digit")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw fail(.invalidValue, "\\u escape of a lone surrogate", at: index - 6)
            }
            return scalar
        default:
            index -= 1
            throw fail(expected: "an escape sequence")
        }
    }
}
