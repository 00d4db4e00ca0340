extension NGSILDReader {
    /// Reads a regular expression of the POSIX ERE subset of ``NGSILDPattern``; it may not be empty.
    ///
    /// ```
    /// pattern     := branch ('|' branch)*
    /// branch      := piece+
    /// piece       := atom quantifier?
    /// atom        := '(' pattern ')' | bracket | '.' | '^' | '$' | '\' punctuation | character
    /// quantifier  := '*' | '+' | '?' | '{' m '}' | '{' m ',' '}' | '{' m ',' n '}'
    /// ```
    ///
    /// `embedded`: the pattern is written unquoted inside a `q` term, and ends before a `;`, `|` or
    /// `)` outside its groups; otherwise it fills the input.
    mutating func readRegex(embedded: Bool) throws(NGSILDQueryError) {
        guard !isAtEnd, !(embedded && endsBranch(depth: 0, embedded: true)) else {
            throw error(.invalidPattern, "expected a pattern")
        }
        try readAlternatives(depth: 0, embedded: embedded)
    }

    /// The largest repetition bound (`RE_DUP_MAX`).
    static let maximumRepetition = 255

    /// Branches separated by `|`; at the top of an embedded pattern `|` is the query's OR instead.
    private mutating func readAlternatives(depth: Int, embedded: Bool) throws(NGSILDQueryError) {
        repeat {
            guard !endsBranch(depth: depth, embedded: embedded) else {
                let afterBar = index > 0 && bytes[index - 1] == UInt8(ascii: "|")
                throw error(.invalidPattern, peek("|") || afterBar ? "empty alternative" : "empty group")
            }
            while !endsBranch(depth: depth, embedded: embedded) {
                try readPiece(depth: depth, embedded: embedded)
            }
        } while (depth > 0 || !embedded) && consume("|")
    }

    /// Whether the current branch ends here: at the end, `|`, a `)` closing a group, or where an
    /// embedded pattern ends.
    private func endsBranch(depth: Int, embedded: Bool) -> Bool {
        guard index < bytes.count else { return true }
        switch bytes[index] {
        case UInt8(ascii: "|"): return true
        case UInt8(ascii: ")"): return depth > 0 || embedded
        case UInt8(ascii: ";"): return depth == 0 && embedded
        default: return false
        }
    }

    /// An atom and at most one quantifier.
    private mutating func readPiece(depth: Int, embedded: Bool) throws(NGSILDQueryError) {
        let repeatable = try readAtom(depth: depth, embedded: embedded)
        let quantifier = index
        guard try readQuantifier() else { return }
        guard repeatable else {
            throw error(.invalidPattern, "\(shown(at: quantifier)) has nothing to repeat", at: quantifier)
        }
        if isQuantifier(at: index) {
            throw error(.invalidPattern, "\(shown(at: index)) cannot follow another quantifier")
        }
    }

    /// Reads one atom; returns whether a quantifier may follow it (not after `^` or `$`).
    private mutating func readAtom(depth: Int, embedded: Bool) throws(NGSILDQueryError) -> Bool {
        switch bytes[index] {
        case UInt8(ascii: "("):
            if peek("?", ahead: 1) {
                throw error(.invalidPattern, "'(?' groups (lookaround, flags, non-capturing) are not supported")
            }
            guard depth < maximumDepth else {
                throw error(.tooDeep, "groups nested deeper than \(maximumDepth) levels")
            }
            index += 1
            try readAlternatives(depth: depth + 1, embedded: embedded)
            guard consume(")") else { throw error(.invalidPattern, "expected ')'") }
            return true
        case UInt8(ascii: ")"):
            throw error(.invalidPattern, "')' without a matching '('")
        case UInt8(ascii: "["):
            try readBracketExpression()
            return true
        case UInt8(ascii: "^"), UInt8(ascii: "$"):
            index += 1
            return false
        case UInt8(ascii: "\\"):
            _ = try readEscape()
            return true
        case _ where isQuantifier(at: index):
            throw error(.invalidPattern, "\(shown(at: index)) has nothing to repeat")
        case UInt8(ascii: "}"):
            throw error(.invalidPattern, "'}' without '{'; write '\\}' for the character")
        default:
            index += scalar(at: index)?.length ?? 1
            return true
        }
    }

    private func isQuantifier(at offset: Int) -> Bool {
        guard offset < bytes.count else { return false }
        return Array("*+?{".utf8).contains(bytes[offset])
    }

    /// Reads `*`, `+`, `?` or a bound `{m}`, `{m,}`, `{m,n}`; returns whether there was one.
    private mutating func readQuantifier() throws(NGSILDQueryError) -> Bool {
        guard isQuantifier(at: index) else { return false }
        let start = index
        guard consume("{") else {
            index += 1
            return true
        }
        let minimum = try readRepetitionBound()
        if consume(","), !peek("}") {
            guard try readRepetitionBound() >= minimum else {
                throw error(.invalidPattern, "repetition bounds out of order", at: start)
            }
        }
        guard consume("}") else { throw error(.invalidPattern, "expected '}' to end the repetition") }
        return true
    }

    private mutating func readRepetitionBound() throws(NGSILDQueryError) -> Int {
        let start = index
        while hasDigits(1) { index += 1 }
        guard index > start else { throw error(.invalidPattern, "expected a number in the repetition") }
        guard index - start <= 3, let bound = Int(text(start, index)), bound <= Self.maximumRepetition else {
            throw error(.invalidPattern, "repetition bound above \(Self.maximumRepetition)", at: start)
        }
        return bound
    }

    /// Reads `\` and the ASCII punctuation character it makes literal; returns that character.
    /// Escapes of letters and digits (`\d`, `\b`, `\1`) differ between regex engines and are refused.
    mutating func readEscape() throws(NGSILDQueryError) -> Unicode.Scalar {
        let start = index
        index += 1
        guard let (escaped, length) = scalar(at: index) else {
            throw error(.invalidPattern, "'\\' at the end of the pattern", at: start)
        }
        // Pattern_Syntax holds exactly the ASCII punctuation and symbols (not `_`).
        guard escaped.isASCII, escaped.properties.isPatternSyntax else {
            let what = escaped.properties.numericType != nil ? "back-reference" : "escape"
            throw error(.invalidPattern, "unsupported \(what) '\\\(escaped)'", at: start)
        }
        index += length
        return escaped
    }
}
