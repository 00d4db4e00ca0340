extension ODataReader {
    /// The canonical functions and how many arguments each takes.
    static let methodArities: [String: ClosedRange<Int>] = [
        "concat": 2...2, "contains": 2...2, "endswith": 2...2, "indexof": 2...2, "matchespattern": 2...2,
        "startswith": 2...2, "hassubset": 2...2, "hassubsequence": 2...2, "substring": 2...3,
        "length": 1...1, "tolower": 1...1, "toupper": 1...1, "trim": 1...1,
        "year": 1...1, "month": 1...1, "day": 1...1, "hour": 1...1, "minute": 1...1, "second": 1...1,
        "fractionalseconds": 1...1, "totalseconds": 1...1, "date": 1...1, "time": 1...1,
        "totaloffsetminutes": 1...1, "round": 1...1, "floor": 1...1, "ceiling": 1...1,
        "mindatetime": 0...0, "maxdatetime": 0...0, "now": 0...0,
        "geo.distance": 2...2, "geo.intersects": 2...2, "geo.length": 1...1,
    ]

    /// A canonical function call, `cast(…)`, `isof(…)` or `case(…)`; `nil` (nothing consumed)
    /// when no such name followed by `(` is here.
    mutating func readMethodCall() throws(ODataQueryError) -> ODataExpression? {
        let start = index
        guard let (parts, end) = peekDottedName(), parts.count <= 2,
            end < units.count, units[end].byte == UInt8(ascii: "(")
        else { return nil }
        let name = parts.joined(separator: ".").lowercased()
        switch name {
        case "cast", "isof":
            index = end + 1
            skipSpaces()
            let (operand, type) = try readTypeArguments()
            try expect(")")
            return ODataExpression(name == "cast" ? .cast(operand, type) : .isOf(operand, type), at: offset(start))
        case "case":
            index = end + 1
            return ODataExpression(.conditional(try readCaseBranches()), at: offset(start))
        default:
            guard let arity = Self.methodArities[name] else { return nil }
            index = end + 1
            skipSpaces()
            var arguments: [ODataExpression] = []
            if !peek(")") {
                repeat {
                    skipSpaces()
                    guard arguments.count < arity.upperBound else { throw fail(expected: "')'") }
                    arguments.append(try readCommonExpression())
                    skipSpaces()
                } while consume(",")
            }
            guard arguments.count >= arity.lowerBound else {
                throw fail(expected: arguments.isEmpty ? "an argument" : "','")
            }
            try expect(")")
            let canonical = name == "matchespattern" ? "matchesPattern" : name
            return ODataExpression(.call(canonical, arguments), at: offset(start))
        }
    }

    /// `[commonExpr ","] optionallyQualifiedTypeName` inside `cast(` / `isof(`.
    private mutating func readTypeArguments() throws(ODataQueryError) -> (ODataExpression?, ODataTypeName) {
        if let type = attempt({ reader throws(ODataQueryError) -> ODataTypeName in
            let type = try reader.readTypeName()
            reader.skipSpaces()
            guard reader.peek(")") else { throw reader.fail(expected: "')'") }
            return type
        }) {
            return (nil, type)
        }
        let operand = try readCommonExpression()
        skipSpaces()
        try expect(",")
        skipSpaces()
        let type = try readTypeName()
        skipSpaces()
        return (operand, type)
    }

    /// `condition : value` pairs separated by commas, then `)`.
    private mutating func readCaseBranches() throws(ODataQueryError) -> [ODataCaseBranch] {
        var branches: [ODataCaseBranch] = []
        repeat {
            skipSpaces()
            let condition = try readCommonExpression()
            skipSpaces()
            try expect(":")
            skipSpaces()
            let value = try readCommonExpression()
            skipSpaces()
            branches.append(ODataCaseBranch(condition: condition, value: value))
        } while consume(",")
        try expect(")")
        return branches
    }

    /// After `$root/`: an entity set, singleton or function import, and what may follow it.
    mutating func readRootPath() throws(ODataQueryError) -> [ODataSegment] {
        let start = index
        guard let name = consumeIdentifier() else { throw fail(expected: "an entity set or singleton") }
        if names.entitySetNames.contains(name) {
            return [.entitySet(name)]
                + optionally { reader throws(ODataQueryError) in try reader.readContinuation(.entityCollection) }
        }
        if names.singletonEntities.contains(name) {
            return [.singleton(name)]
                + optionally { reader throws(ODataQueryError) in try reader.readContinuation(.entity) }
        }
        if let shape = names.functionImportShape(name), peek("(") {
            let parameters = try readFunctionParameters(expressions: true)
            let call = ODataFunctionCall(
                name: ODataQualifiedName(name: name),
                parameters: parameters,
                returns: shape,
                isImport: true
            )
            return [.function(call)]
                + optionally { reader throws(ODataQueryError) in try reader.readContinuation(shape) }
        }
        throw fail(.unknownName, "unknown entity set, singleton or function import '\(name)'", at: start)
    }
}
