extension RQLReader {
    /// The filter operators, in the order error messages list them.
    static let filterOperators = ["eq", "ne", "lt", "le", "gt", "ge", "like", "ilike", "in", "out", "and", "or", "not"]

    /// Reads one filter expression; `depth` is its nesting level (1 for a top-level term).
    mutating func readExpression(depth: Int, topLevel: Bool = false) throws(RQLError) -> Filter {
        skipSpaces()
        let start = position
        let name = readName()
        guard !name.isEmpty else {
            throw RQLError(
                code: .syntax,
                message: "expected an expression such as eq(field,value)",
                position: start
            )
        }
        guard Self.filterOperators.contains(name) else {
            let known = Self.filterOperators + (topLevel ? ["select", "ordering", "sort"] : [])
            throw RQLError(
                code: .unknownOperator,
                message: "unknown operator '\(name)'",
                position: start,
                hint: "expected one of \(known.joined(separator: ", "))"
            )
        }
        guard depth <= maximumDepth else {
            throw RQLError(
                code: .tooDeep,
                message: "expressions nested deeper than \(maximumDepth) levels",
                position: start
            )
        }
        try expect("(")
        let predicate: Filter
        switch name {
        case "and", "or":
            var children = [try readExpression(depth: depth + 1)]
            skipSpaces()
            while consume(",") {
                children.append(try readExpression(depth: depth + 1))
                skipSpaces()
            }
            predicate = name == "and" ? .and(children) : .or(children)
        case "not":
            predicate = .not(try readExpression(depth: depth + 1))
            skipSpaces()
        case "like", "ilike":
            let path = try readField()
            try expect(",")
            let (value, valueStart) = try readValue()
            guard case .literal(let literal) = value else {
                throw RQLError(code: .invalidValue, message: "\(value.name) cannot be a pattern", position: valueStart)
            }
            predicate = .pattern(path, literal.description, caseInsensitive: name == "ilike")
        case "in", "out":
            let path = try readField()
            try expect(",")
            predicate = .membership(path, try readList(), negated: name == "out")
        default:
            let path = try readField()
            try expect(",")
            let (value, valueStart) = try readValue()
            let op = ComparisonOperator(rawValue: name)!
            guard op == .eq || op == .ne || !value.isSpecial else {
                throw RQLError(
                    code: .invalidValue,
                    message: "\(value.name) can only be compared with eq or ne",
                    position: valueStart
                )
            }
            switch value {
            case .literal(let literal): predicate = .compare(path, op, literal)
            case .null: predicate = .isNull(path, negated: op == .ne)
            case .empty: predicate = .compare(path, op, .empty)
            }
        }
        guard consume(")") else {
            let expected = name == "and" || name == "or" ? "',' or ')'" : "')'"
            throw RQLError(code: .syntax, message: "expected \(expected)", position: position)
        }
        return predicate
    }

    /// The values of `in`/`out`: `(a,b,c)`, `()`, or (tolerated) `a,b,c` up to the closing `)`;
    /// `empty()` is the empty string there too, `null()` is refused.
    private mutating func readList() throws(RQLError) -> [QueryValue] {
        let parenthesized = consume("(")
        var values: [QueryValue] = []
        if parenthesized, consume(")") { return values }
        repeat {
            let (value, start) = try readValue()
            switch value {
            case .literal(let literal): values.append(literal)
            case .empty: values.append(.empty)
            case .null:
                throw RQLError(code: .invalidValue, message: "\(value.name) cannot be a list element", position: start)
            }
        } while consume(",")
        if parenthesized {
            guard consume(")") else {
                throw RQLError(code: .syntax, message: "expected ',' or ')'", position: position)
            }
        }
        return values
    }

    /// The items of `select(...)` or `ordering(...)`: field paths, each optionally prefixed by `-`
    /// (exclude / descending) or `+`.
    mutating func readSignedFields() throws(RQLError) -> [(path: FieldPath, minus: Bool)] {
        try expect("(")
        var items: [(FieldPath, Bool)] = []
        repeat {
            var (text, start) = try readToken()
            var minus = false
            if let sign = text.first, sign == "-" || sign == "+" {
                minus = sign == "-"
                text.removeFirst()
                start += 1
            }
            items.append((try Self.fieldPath(text, at: start), minus))
        } while consume(",")
        guard consume(")") else {
            throw RQLError(code: .syntax, message: "expected ',' or ')'", position: position)
        }
        return items
    }
}
