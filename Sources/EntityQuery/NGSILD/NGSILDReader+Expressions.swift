extension NGSILDReader {
    /// Reads terms joined by `;` (AND) and OR operators, with parentheses, up to the end of the input:
    ///
    /// ```
    /// expression  := conjunction (or conjunction)*
    /// conjunction := operand (';' operand)*
    /// operand     := '(' expression ')' | term
    /// ```
    ///
    /// `orOperators` are `|` for `q`, and `|` or `,` for `scopeQ` and the type selection. `readTerm`
    /// reads one term and stops before the character that follows it.
    mutating func readWholeExpression<Term: Sendable & Hashable>(
        orOperators: [Unicode.Scalar],
        readTerm: (inout NGSILDReader) throws(NGSILDQueryError) -> Term
    ) throws(NGSILDQueryError) -> NGSILDExpression<Term> {
        let expression = try readExpression(depth: 0, orOperators: orOperators, readTerm: readTerm)
        if !isAtEnd {
            throw unexpectedAfterTerm(depth: 0, orOperators: orOperators)
        }
        return expression
    }

    private mutating func readExpression<Term: Sendable & Hashable>(
        depth: Int,
        orOperators: [Unicode.Scalar],
        readTerm: (inout NGSILDReader) throws(NGSILDQueryError) -> Term
    ) throws(NGSILDQueryError) -> NGSILDExpression<Term> {
        var alternatives: [NGSILDExpression<Term>] = []
        repeat {
            var conjuncts = [try readOperand(depth: depth, orOperators: orOperators, readTerm: readTerm)]
            while consume(";") {
                conjuncts.append(try readOperand(depth: depth, orOperators: orOperators, readTerm: readTerm))
            }
            alternatives.append(conjuncts.count == 1 ? conjuncts[0] : .and(conjuncts))
        } while consumeAny(of: orOperators)
        return alternatives.count == 1 ? alternatives[0] : .or(alternatives)
    }

    private mutating func readOperand<Term: Sendable & Hashable>(
        depth: Int,
        orOperators: [Unicode.Scalar],
        readTerm: (inout NGSILDReader) throws(NGSILDQueryError) -> Term
    ) throws(NGSILDQueryError) -> NGSILDExpression<Term> {
        guard peek("(") else { return .term(try readTerm(&self)) }
        guard depth < maximumDepth else {
            throw error(.tooDeep, "parentheses nested deeper than \(maximumDepth) levels")
        }
        index += 1
        let group = try readExpression(depth: depth + 1, orOperators: orOperators, readTerm: readTerm)
        guard consume(")") else {
            throw isAtEnd
                ? error(.syntax, "expected ')'") : unexpectedAfterTerm(depth: depth + 1, orOperators: orOperators)
        }
        return group
    }

    private mutating func consumeAny(of operators: [Unicode.Scalar]) -> Bool {
        operators.contains { consume($0) }
    }

    /// The error for what follows a complete term or group where only an operator, `)` (inside
    /// parentheses) or the end may.
    private func unexpectedAfterTerm(depth: Int, orOperators: [Unicode.Scalar]) -> NGSILDQueryError {
        if peek(")") && depth == 0 {
            return error(.syntax, "')' without a matching '('")
        }
        let operators = ([";"] + orOperators).map { "'\($0)'" }
        let expected =
            operators.dropLast().joined(separator: ", ") + (depth == 0 ? " or " : ", ")
            + operators.last! + (depth == 0 ? "" : " or ')'")
        return error(.syntax, "expected \(expected), found \(shown(at: index))")
    }
}
