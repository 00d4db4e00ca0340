extension ODataReader {
    /// `firstMemberExpr`: a lambda variable in scope, a member path of the current instance, or an
    /// undeclared name (a variable or dynamic property, for the translator to judge).
    mutating func readFirstMember() throws(ODataQueryError) -> ODataExpression {
        let start = index
        for (word, root) in [("$it", ODataPathRoot.it), ("$this", .this)] where consumeKeywordExactly(word) {
            return ODataExpression(.path(root, try readOptionalMemberTail(after: nil)), at: offset(start))
        }
        if peek("@") {
            index += 1
            let name = try readIdentifier("an alias name")
            return ODataExpression(.path(.alias(name), try readOptionalMemberTail(after: nil)), at: offset(start))
        }
        if let (name, end) = peekIdentifier(), lambdaVariables.contains(name) {
            index = end
            return ODataExpression(.path(.variable(name), try readOptionalMemberTail(after: nil)), at: offset(start))
        }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readMemberExpression() }) {
            return ODataExpression(.path(.implicit, segments), at: offset(start))
        }
        guard let name = consumeIdentifier() else { throw fail(expected: "an expression") }
        if peek("(") {
            guard !["any", "all"].contains(name.lowercased()) else {
                throw fail(.syntax, "\(name)(…) must follow a collection, as in Items/\(name)(…)", at: start)
            }
            throw fail(.unknownName, "unknown function '\(name)'", at: start)
        }
        return ODataExpression(.path(.variable(name), try readOptionalMemberTail(after: nil)), at: offset(start))
    }

    /// `memberExpr`: a direct member, or a type cast followed by `/` and a direct member.
    mutating func readMemberExpression() throws(ODataQueryError) -> [ODataSegment] {
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readDirectMember() }) {
            return segments
        }
        guard let cast = consumeStructuredTypeName() else { throw fail(expected: "a property") }
        try expectLiteral("/")
        return [.cast(cast)] + (try readDirectMember())
    }

    /// An entity or complex type name, qualified or not.
    mutating func consumeStructuredTypeName(qualified: Bool? = nil) -> ODataQualifiedName? {
        consumeName(qualified: qualified) { [names] name in
            names.entityTypeNames.contains(name) || names.complexTypeNames.contains(name)
        }
    }

    /// `directMemberExpr`: a property path, a bound function call or an annotation, with what may
    /// follow each.
    mutating func readDirectMember() throws(ODataQueryError) -> [ODataSegment] {
        if peek("@") { return try readAnnotationExpression() }
        if let (name, end) = peekIdentifier(), let shape = names.propertyShape(name),
            !(end < units.count && units[end].byte == UInt8(ascii: ".") && !units[end].escaped)
        {
            index = end
            let segment = Self.propertySegment(name, shape)
            return [segment] + optionally { reader throws(ODataQueryError) in try reader.readContinuation(shape) }
        }
        return try readFunctionExpression()
    }

    static func propertySegment(_ name: String, _ shape: ODataShape) -> ODataSegment {
        switch shape {
        case .entity: return .navigation(name, isCollection: false)
        case .entityCollection: return .navigation(name, isCollection: true)
        default: return .property(name, shape)
        }
    }

    /// Runs `body`; `[]` (and nothing consumed) when it fails.
    mutating func optionally(
        _ body: (inout ODataReader) throws(ODataQueryError) -> [ODataSegment]
    ) -> [ODataSegment] {
        attempt(body) ?? []
    }

    /// What may follow a member of the given shape in an expression (`nil`: unknown shape).
    mutating func readContinuation(_ shape: ODataShape?) throws(ODataQueryError) -> [ODataSegment] {
        switch shape {
        case .entityCollection: return try readCollectionNavigation()
        case .entity:
            try expectLiteral("/")
            return try readMemberExpression()
        case .complexCollection:
            if let segments = attempt({ reader throws(ODataQueryError) in try reader.readCollectionPath() }) {
                return segments
            }
            return try readComplexCast { reader throws(ODataQueryError) in try reader.readCollectionPath() }
        case .complex:
            if let segments = attempt({ reader throws(ODataQueryError) in
                try reader.expectLiteral("/")
                return try reader.readDirectMember()
            }) {
                return segments
            }
            return try readComplexCast { reader throws(ODataQueryError) in
                try reader.expectLiteral("/")
                return try reader.readDirectMember()
            }
        case .primitiveCollection: return try readCollectionPath()
        case .primitive, .stream:
            try expectLiteral("/")
            if peek("@") { return try readAnnotationExpression() }
            return optionally { reader throws(ODataQueryError) in try reader.readFunctionExpression() }
        case nil:
            if let segments = attempt({ reader throws(ODataQueryError) in try reader.readCollectionPath() }) {
                return segments
            }
            try expectLiteral("/")
            return try readMemberExpression()
        }
    }

    /// `"/" optionallyQualifiedComplexTypeName [then]`.
    private mutating func readComplexCast(
        then: (inout ODataReader) throws(ODataQueryError) -> [ODataSegment]
    ) throws(ODataQueryError) -> [ODataSegment] {
        try expectLiteral("/")
        guard let cast = consumeComplexTypeName() else { throw fail(expected: "a complex type name") }
        return [.cast(cast)] + optionally(then)
    }

    /// `collectionNavigationExpr`: a key, `/$filter(…)`, a collection path, or a cast followed by one.
    mutating func readCollectionNavigation() throws(ODataQueryError) -> [ODataSegment] {
        if peek("(") {
            let key = try readKeyPredicate()
            return [.key(key)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.expectLiteral("/")
                    return try reader.readMemberExpression()
                }
        }
        if let filter = attempt({ reader throws(ODataQueryError) in try reader.readFilterSegment() }) {
            return [filter]
                + optionally { reader throws(ODataQueryError) in try reader.readCollectionNavigation() }
        }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readCollectionPath() }) {
            return segments
        }
        try expectLiteral("/")
        guard let cast = consumeEntityTypeName() else { throw fail(expected: "an entity type name") }
        return [.cast(cast)] + (try readCollectionNavigation())
    }

    /// `/$filter(boolCommonExpr)`.
    mutating func readFilterSegment() throws(ODataQueryError) -> ODataSegment {
        guard consumeExactly("/$filter") else { throw fail(expected: "'/$filter'") }
        try expect("(")
        let filter = try readCommonExpression()
        try expect(")")
        return .filter(filter)
    }

    /// `collectionPathExpr`: `/$count[(options)]`, `/$filter(…)`, `/any(…)`, `/all(…)`, a bound
    /// function or an annotation.
    mutating func readCollectionPath() throws(ODataQueryError) -> [ODataSegment] {
        if consumeExactly("/$count") {
            var options: [ODataQueryOption] = []
            if peek("(") {
                index += 1
                options = try readNestedOptions(allowed: .countOptions, aliases: false)
                try expect(")")
            }
            return [.count(options)]
        }
        if let filter = attempt({ reader throws(ODataQueryError) in try reader.readFilterSegment() }) {
            return [filter] + optionally { reader throws(ODataQueryError) in try reader.readCollectionPath() }
        }
        try expectLiteral("/")
        if let lambda = try readLambda() { return [.lambda(lambda)] }
        if peek("@") { return try readAnnotationExpression() }
        return try readFunctionExpression()
    }

    /// `any(…)` / `all(…)`, or `nil` when neither is here.
    mutating func readLambda() throws(ODataQueryError) -> ODataLambda? {
        let start = index
        let isAll: Bool
        if consumeCaseInsensitive("any"), peek("(") {
            isAll = false
        } else {
            index = start
            guard consumeCaseInsensitive("all"), peek("(") else {
                index = start
                return nil
            }
            isAll = true
        }
        index += 1
        skipSpaces()
        if !isAll, consume(")") { return ODataLambda(isAll: false, variable: nil, predicate: nil) }
        let variable = try readIdentifier("a lambda variable")
        skipSpaces()
        try expect(":")
        skipSpaces()
        lambdaVariables.append(variable)
        let predicate = try readCommonExpression()
        lambdaVariables.removeLast()
        skipSpaces()
        try expect(")")
        return ODataLambda(isAll: isAll, variable: variable, predicate: predicate)
    }

    /// `annotationExpr`: `@[Namespace.]Term[%23Qualifier]` and whatever path follows.
    mutating func readAnnotationExpression() throws(ODataQueryError) -> [ODataSegment] {
        let annotation = try readAnnotationName()
        return [.annotation(annotation)]
            + optionally { reader throws(ODataQueryError) in try reader.readContinuation(nil) }
    }

    /// `annotationInQuery`: `@`, an optionally qualified term, and a `%23qualifier`.
    mutating func readAnnotationName() throws(ODataQueryError) -> ODataAnnotationName {
        try expect("@")
        guard let (parts, end) = peekDottedName() else { throw fail(expected: "an annotation term") }
        let namespace = Array(parts.dropLast())
        guard namespace.isEmpty || names.isNamespace(namespace) else {
            throw fail(.unknownName, "unknown namespace '\(namespace.joined(separator: "."))'", at: index)
        }
        index = end
        var qualifier: String?
        if index < units.count, units[index].byte == UInt8(ascii: "#"), units[index].escaped {
            index += 1
            qualifier = try readIdentifier("an annotation qualifier")
        }
        let term = ODataQualifiedName(
            namespace: namespace.isEmpty ? nil : namespace.joined(separator: "."),
            name: parts[parts.count - 1]
        )
        return ODataAnnotationName(term: term, qualifier: qualifier)
    }

    /// `functionExpr`: `[Namespace.]Function(name=value,…)` and what may follow its result.
    mutating func readFunctionExpression() throws(ODataQueryError) -> [ODataSegment] {
        let start = index
        guard let name = consumeName(qualified: nil, where: { [names] in names.functionShape($0) != nil }),
            let shape = names.functionShape(name.name)
        else { throw fail(expected: "a property or function", at: start) }
        guard peek("(") else { throw fail(expected: "'('") }
        let parameters = try readFunctionParameters(expressions: true)
        let call = ODataFunctionCall(name: name, parameters: parameters, returns: shape, isImport: false)
        return [.function(call)] + optionally { reader throws(ODataQueryError) in try reader.readContinuation(shape) }
    }

    /// `functionExprParameters` (`expressions`: values are expressions) or `functionParameters`
    /// (values are literals or aliases): `(name=value, …)`.
    mutating func readFunctionParameters(expressions: Bool) throws(ODataQueryError) -> [ODataParameter] {
        try expect("(")
        skipSpaces()
        var parameters: [ODataParameter] = []
        if consume(")") { return parameters }
        repeat {
            skipSpaces()
            let nameStart = index
            let name = try readIdentifier("a parameter name")
            guard names.parameterNames.contains(name) else {
                throw fail(.unknownName, "unknown parameter '\(name)'", at: nameStart)
            }
            try expectLiteral("=")
            let valueStart = index
            let value: ODataExpression
            if peek("@") {
                index += 1
                value = ODataExpression(.path(.alias(try readIdentifier("an alias name")), []), at: offset(valueStart))
            } else if expressions {
                value = try peek("[") || peek("{") ? readArrayOrObject() : readCommonExpression()
            } else {
                value = ODataExpression(.literal(try readPrimitiveLiteral()), at: offset(valueStart))
            }
            parameters.append(ODataParameter(name: name, value: value))
            skipSpaces()
        } while consume(",")
        try expect(")")
        return parameters
    }

    /// `keyPredicate` in parentheses: `(value)`, `(@alias)` or `(Name=value,…)`.
    mutating func readKeyPredicate() throws(ODataQueryError) -> ODataKey {
        try expect("(")
        var values: [ODataKeyValue] = []
        if let (_, end) = peekIdentifier(), end < units.count, units[end].byte == UInt8(ascii: "="),
            !units[end].escaped
        {
            repeat {
                let name = try readIdentifier("a key property")
                try expectLiteral("=")
                values.append(try readKeyValue(name: name))
            } while consume(",")
        } else {
            values.append(try readKeyValue(name: nil))
        }
        try expect(")")
        return ODataKey(values: values)
    }

    /// `parameterAlias / keyPropertyValue`.
    private mutating func readKeyValue(name: String?) throws(ODataQueryError) -> ODataKeyValue {
        let start = index
        if consume("@") {
            return ODataKeyValue(
                name: name,
                value: .alias(try readIdentifier("an alias name")),
                position: offset(start)
            )
        }
        let literal = try readPrimitiveLiteral()
        switch literal {
        case .null, .binary, .geography, .geometry:
            throw fail(.invalidValue, "a key cannot be \(literal)", at: start)
        default:
            return ODataKeyValue(name: name, value: .literal(literal), position: offset(start))
        }
    }
}
