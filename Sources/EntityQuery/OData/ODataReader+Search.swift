extension ODataReader {
    /// `searchExpr` (with `NOT` > `AND` > `OR`, `AND` implicit between terms) or
    /// `searchExpr-incomplete` (`'…'`).
    mutating func readSearch() throws(ODataQueryError) -> ODataSearchExpression {
        if peek("'") { return try readIncompleteSearch() }
        return try readSearchOr()
    }

    private mutating func readSearchOr() throws(ODataQueryError) -> ODataSearchExpression {
        try enter()
        defer { leave() }
        var left = try readSearchAnd()
        while true {
            let save = index
            guard consumeSpaces(), consumeExactly("OR"), consumeSpaces() else {
                index = save
                break
            }
            guard let right = attempt({ reader throws(ODataQueryError) in try reader.readSearchAnd() }) else {
                index = save
                break
            }
            left = .or(left, right)
        }
        return left
    }

    private mutating func readSearchAnd() throws(ODataQueryError) -> ODataSearchExpression {
        var left = try readSearchUnary()
        while true {
            let save = index
            guard consumeSpaces() else { break }
            let afterSpaces = index
            if consumeExactly("OR"), atSpace {
                index = save
                break
            }
            index = afterSpaces
            if consumeExactly("AND"), consumeSpaces(),
                let right = attempt({ reader throws(ODataQueryError) in try reader.readSearchUnary() })
            {
                left = .and(left, right)
                continue
            }
            index = afterSpaces
            guard let right = attempt({ reader throws(ODataQueryError) in try reader.readSearchUnary() }) else {
                index = save
                break
            }
            left = .and(left, right)
        }
        return left
    }

    private mutating func readSearchUnary() throws(ODataQueryError) -> ODataSearchExpression {
        let start = index
        if consumeExactly("NOT"), consumeSpaces(),
            let operand = attempt({ reader throws(ODataQueryError) -> ODataSearchExpression in
                try reader.enter()
                defer { reader.leave() }
                return try reader.readSearchUnary()
            })
        {
            return .not(operand)
        }
        index = start
        if consume("(") {
            skipSpaces()
            let inner = try readSearchOr()
            skipSpaces()
            try expect(")")
            return inner
        }
        if peek("\"") { return try readSearchPhrase() }
        return .term(try readSearchWord())
    }

    /// `searchPhrase`: `"…"` (quotes may be `%22`), not empty.
    private mutating func readSearchPhrase() throws(ODataQueryError) -> ODataSearchExpression {
        try expect("\"")
        let start = index
        while let byte = byte(), byte != UInt8(ascii: "\"") {
            guard units[index].escaped || (byte != UInt8(ascii: "&") && byte != UInt8(ascii: "#") && byte >= 0x20)
            else { break }
            index += 1
        }
        guard index > start else { throw fail(expected: "a search phrase") }
        let text = try decodedText(start, index)
        try expect("\"")
        return .phrase(text)
    }

    /// `searchWord`: characters other than spaces, parentheses, `"`, `;`, `&`, `#`, and not
    /// starting with `'`.
    private mutating func readSearchWord() throws(ODataQueryError) -> String {
        let start = index
        while let byte = byte() {
            let unit = units[index]
            let excluded: [UInt8] = Array(" \t()\";&#".utf8)
            if excluded.contains(byte)
                && !(unit.escaped
                    && (byte == UInt8(ascii: ";") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "#")))
            {
                break
            }
            if byte < 0x20 || (byte == UInt8(ascii: "'") && index == start) { break }
            index += 1
        }
        guard index > start else { throw fail(expected: "a search term") }
        return try decodedText(start, index)
    }

    /// `'…'` with `''` for a quote: a search the client did not finish quoting.
    private mutating func readIncompleteSearch() throws(ODataQueryError) -> ODataSearchExpression {
        try expect("'")
        var bytes: [UInt8] = []
        while true {
            guard let byte = byte(), units[index].escaped || (byte != UInt8(ascii: "&") && byte != UInt8(ascii: "#"))
            else { throw fail(expected: "a closing quote") }
            index += 1
            if byte == UInt8(ascii: "'") {
                guard consume("'") else { break }
            }
            bytes.append(byte)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failFatally(.invalidValue, "invalid UTF-8 in $search", at: index)
        }
        return .phrase(text)
    }

    /// The percent-decoded text of units `start..<end`, which must be UTF-8.
    func decodedText(_ start: Int, _ end: Int) throws(ODataQueryError) -> String {
        guard let text = String(validating: units[start..<end].map(\.byte), as: UTF8.self) else {
            throw failure(.invalidValue, "invalid UTF-8", at: start)
        }
        return text
    }
}
