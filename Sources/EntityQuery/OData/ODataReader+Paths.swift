extension ODataReader {
    /// `resourcePath`: an entity set, singleton, operation import, `$crossjoin(…)` or `$all`, and
    /// the segments that may follow, up to a `?` or the end.
    mutating func readResourcePath() throws(ODataQueryError) -> [ODataSegment] {
        inPath = true
        defer { inPath = false }
        let start = index
        if consumeKeywordExactly("$all") {
            guard consumeLiteral("/") else { return [.allEntities] }
            guard let cast = consumeEntityTypeName() else { throw fail(expected: "an entity type name") }
            return [.allEntities, .cast(cast)]
        }
        if consumeExactly("$crossjoin") {
            try expect("(")
            var sets: [String] = []
            repeat {
                let nameStart = index
                let name = try readIdentifier("an entity set name")
                guard names.entitySetNames.contains(name) else {
                    throw fail(.unknownName, "unknown entity set '\(name)'", at: nameStart)
                }
                sets.append(name)
            } while consume(",")
            try expect(")")
            return [.crossjoin(sets)] + optionalQuerySegment()
        }
        guard let name = consumeIdentifier() else {
            throw fail(expected: "an entity set, singleton or operation import")
        }
        if names.entitySetNames.contains(name) {
            return [.entitySet(name)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(.entityCollection)
                }
        }
        if names.singletonEntities.contains(name) {
            return [.singleton(name)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(.entity)
                }
        }
        if names.actionImports.contains(name) { return [.action(ODataQualifiedName(name: name), isImport: true)] }
        if let shape = names.functionImportShape(name) {
            let qualified = ODataQualifiedName(name: name)
            guard peek("(") else {
                let call = ODataFunctionCall(name: qualified, parameters: nil, returns: shape, isImport: true)
                return [.function(call)] + optionalQuerySegment()
            }
            let parameters = try readFunctionParameters(expressions: false)
            let call = ODataFunctionCall(name: qualified, parameters: parameters, returns: shape, isImport: true)
            return [.function(call)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(shape)
                }
        }
        throw fail(.unknownName, "unknown entity set, singleton or operation import '\(name)'", at: start)
    }

    private mutating func optionalQuerySegment() -> [ODataSegment] {
        consumeExactly("/$query") ? [.query] : []
    }

    /// What may follow a resource of the given shape in a resource path.
    mutating func readPathContinuation(_ shape: ODataShape, afterCast: Bool = false) throws(ODataQueryError)
        -> [ODataSegment]
    {
        switch shape {
        case .entityCollection: return try readCollectionNavigationPath(afterCast: afterCast)
        case .entity: return try readSingleNavigationPath(afterCast: afterCast)
        case .complexCollection, .complex:
            if let segments = attempt({ reader throws(ODataQueryError) in
                try shape == .complex ? reader.readComplexNavigationPath() : reader.readCollectionPathSegment()
            }) {
                return segments
            }
            guard !afterCast else { throw fail(expected: "a property or operation") }
            try expectLiteral("/")
            guard let cast = consumeComplexTypeName() else { throw fail(expected: "a complex type name") }
            return [.cast(cast)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(shape, afterCast: true)
                }
        case .primitiveCollection: return try readCollectionPathSegment()
        case .primitive:
            if consumeExactly("/$value") { return [.value] }
            if consumeExactly("/$query") { return [.query] }
            return try readBoundOperation()
        case .stream: return try readBoundOperation()
        }
    }

    /// `collectionNavigation`: a key, `/$filter(…)`, `/$each`, `/$count`, `/$ref`, `/$query`, a bound
    /// operation, a cast, or key segments.
    private mutating func readCollectionNavigationPath(afterCast: Bool) throws(ODataQueryError) -> [ODataSegment] {
        if peek("(") {
            return [.key(try readKeyPredicate())]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(.entity)
                }
        }
        if let filter = attempt({ reader throws(ODataQueryError) in try reader.readFilterSegment() }) {
            return [filter]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(.entityCollection)
                }
        }
        if consumeExactly("/$each") {
            return [.each] + optionally { reader throws(ODataQueryError) in try reader.readBoundOperation() }
        }
        for (word, segment) in [("/$count", ODataSegment.count([])), ("/$ref", .ref), ("/$query", .query)]
        where consumeExactly(word) {
            return [segment]
        }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readBoundOperation() }) {
            return segments
        }
        try expectLiteral("/")
        if !afterCast, let cast = consumeEntityTypeName() {
            return [.cast(cast)]
                + optionally { reader throws(ODataQueryError) in
                    try reader.readPathContinuation(.entityCollection, afterCast: true)
                }
        }
        return [.key(try readKeySegments())]
            + optionally { reader throws(ODataQueryError) in
                try reader.readPathContinuation(.entity)
            }
    }

    /// `keyPathSegments`: key values as path segments (`/1`, `/2001/1`).
    private mutating func readKeySegments() throws(ODataQueryError) -> ODataKey {
        var values: [ODataKeyValue] = []
        repeat {
            let start = index
            while let byte = byte(), units[index].escaped || isPathByte(byte) { index += 1 }
            let raw = rawText(start, index)
            let accepted = names.keyPathLiterals.map { $0.contains(raw) } ?? (!raw.isEmpty && !names.isDeclared(raw))
            guard accepted else {
                index = start
                throw fail(expected: "a key, property or operation")
            }
            values.append(
                ODataKeyValue(name: nil, value: .segment(try decodedText(start, index)), position: offset(start))
            )
            guard names.keyPathLiterals != nil, peekLiteral("/") else { break }
            let save = index
            index += 1
            let next = index
            while let byte = byte(), units[index].escaped || isPathByte(byte) { index += 1 }
            let isKey = names.keyPathLiterals?.contains(rawText(next, index)) ?? false
            index = isKey ? save + 1 : save
            if !isKey { break }
        } while true
        return ODataKey(values: values, isSegment: true)
    }

    /// `pchar`, written literally.
    private func isPathByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || ODataUnit.isUnreserved(byte) || Array("!$&'()*+,;=:@".utf8).contains(byte)
    }

    /// `singleNavigation`: `/property…`, a bound operation, `/$ref`, `/$value`, `/$query`, or a
    /// cast followed by one of these.
    private mutating func readSingleNavigationPath(afterCast: Bool) throws(ODataQueryError) -> [ODataSegment] {
        for (word, segment) in [("/$ref", ODataSegment.ref), ("/$value", .value), ("/$query", .query)]
        where consumeExactly(word) {
            return [segment]
        }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readBoundOperation() }) {
            return segments
        }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readPropertyPath() }) {
            return segments
        }
        guard !afterCast else { throw fail(expected: "a property or operation") }
        try expectLiteral("/")
        guard let cast = consumeEntityTypeName() else { throw fail(expected: "a property, operation or type") }
        return [.cast(cast)]
            + optionally { reader throws(ODataQueryError) in
                try reader.readPathContinuation(.entity, afterCast: true)
            }
    }

    /// `complexNavPath`: `/property…`, a bound operation or `/$query`.
    private mutating func readComplexNavigationPath() throws(ODataQueryError) -> [ODataSegment] {
        if consumeExactly("/$query") { return [.query] }
        if let segments = attempt({ reader throws(ODataQueryError) in try reader.readBoundOperation() }) {
            return segments
        }
        return try readPropertyPath()
    }

    /// `collectionPath`: `/$count`, a bound operation, `/n` (ordinal index) or `/$query`.
    private mutating func readCollectionPathSegment() throws(ODataQueryError) -> [ODataSegment] {
        if consumeExactly("/$count") { return [.count([])] }
        if consumeExactly("/$query") { return [.query] }
        if peekLiteral("/"), let next = byte(ahead: 1), ODataUnit.isDigit(next) || next == UInt8(ascii: "-") {
            index += 1
            let negative = consumeLiteral("-")
            let start = index
            guard let value = Int(try readDigitRun()) else { throw fail(.invalidValue, "index too large", at: start) }
            return [.ordinal(negative ? -value : value)]
        }
        return try readBoundOperation()
    }

    /// `"/" propertyPath`: a property and what may follow it.
    private mutating func readPropertyPath() throws(ODataQueryError) -> [ODataSegment] {
        try expectLiteral("/")
        let start = index
        guard let (name, end) = peekIdentifier(), let shape = names.propertyShape(name),
            !peekLiteral(".", ahead: end - index)
        else { throw fail(expected: "a property", at: start) }
        index = end
        return [Self.propertySegment(name, shape)]
            + optionally { reader throws(ODataQueryError) in
                try reader.readPathContinuation(shape)
            }
    }

    /// `boundOperation`: `/[Namespace.]Action` or `/[Namespace.]Function[(…)]` and what may follow.
    private mutating func readBoundOperation() throws(ODataQueryError) -> [ODataSegment] {
        try expectLiteral("/")
        if let action = consumeName(qualified: nil, where: names.actions.contains) {
            return [.action(action, isImport: false)]
        }
        guard let name = consumeName(qualified: nil, where: { [names] in names.functionShape($0) != nil }),
            let shape = names.functionShape(name.name)
        else { throw fail(expected: "an action or function") }
        guard peek("(") else {
            let call = ODataFunctionCall(name: name, parameters: nil, returns: shape, isImport: false)
            return [.function(call)] + optionalQuerySegment()
        }
        let parameters = try readFunctionParameters(expressions: false)
        let call = ODataFunctionCall(name: name, parameters: parameters, returns: shape, isImport: false)
        return [.function(call)]
            + optionally { reader throws(ODataQueryError) in
                try reader.readPathContinuation(shape)
            }
    }
}
