extension ODataReader {
    /// `selectItem *(COMMA selectItem)`.
    mutating func readSelect() throws(ODataQueryError) -> [ODataSelectItem] {
        var items: [ODataSelectItem] = []
        repeat {
            items.append(try readSelectItem())
        } while consume(",")
        return items
    }

    /// `*`, `Namespace.*`, a property path, an operation, or a type cast followed by `/` and one of these.
    private mutating func readSelectItem() throws(ODataQueryError) -> ODataSelectItem {
        let start = index
        if consume("*") { return ODataSelectItem(.all, at: offset(start)) }
        if let (parts, end) = peekDottedName(), peekLiteral(".", ahead: end - index),
            peek("*", ahead: end - index + 1)
        {
            guard names.isNamespace(parts) else {
                throw fail(.unknownName, "unknown namespace '\(parts.joined(separator: "."))'", at: start)
            }
            index = end + 2
            return ODataSelectItem(.allOperations(namespace: parts.joined(separator: ".")), at: offset(start))
        }
        if let item = attempt({ reader throws(ODataQueryError) in try reader.readSelectProperty(casts: [], at: start) })
        {
            return item
        }
        if let item = attempt({ reader throws(ODataQueryError) in try reader.readSelectOperation(casts: [], at: start) }
        ) {
            return item
        }
        guard let cast = consumeStructuredTypeName() else {
            throw fail(.unknownName, "expected a property, operation or type", at: start)
        }
        try expectLiteral("/")
        if let item = attempt({ reader throws(ODataQueryError) in
            try reader.readSelectProperty(casts: [cast], at: start)
        }) {
            return item
        }
        return try readSelectOperation(casts: [cast], at: start)
    }

    /// `[Namespace.]Action` or `[Namespace.]Function[(parameter,…)]`.
    private mutating func readSelectOperation(casts: [ODataQualifiedName], at start: Int) throws(ODataQueryError)
        -> ODataSelectItem
    {
        let isOperation: (String) -> Bool = { [names] name in
            names.actions.contains(name) || names.functionShape(name) != nil
        }
        guard let name = consumeName(qualified: casts.isEmpty ? nil : true, where: isOperation) else {
            throw fail(expected: "an action or function")
        }
        var parameterNames: [String]?
        if names.functionShape(name.name) != nil, consume("(") {
            var list: [String] = []
            repeat { list.append(try readIdentifier("a parameter name")) } while consume(",")
            try expect(")")
            parameterNames = list
        }
        return ODataSelectItem(.operation(casts: casts, name: name, parameterNames: parameterNames), at: offset(start))
    }

    /// `selectProperty`: a primitive property or annotation, a primitive collection with options,
    /// a navigation property, or a complex path with options or a further property.
    private mutating func readSelectProperty(casts: [ODataQualifiedName], at start: Int) throws(ODataQueryError)
        -> ODataSelectItem
    {
        var segments: [ODataSegment] = casts.map { .cast($0) }
        while true {
            if peek("@") {
                segments.append(.annotation(try readAnnotationName()))
                if consumeLiteral("/") {
                    if let cast = consumeComplexTypeName() {
                        segments.append(.cast(cast))
                        guard consumeLiteral("/") else { return ODataSelectItem(.path(segments), at: offset(start)) }
                    }
                    continue
                }
                return ODataSelectItem(
                    .path(segments),
                    options: try readSelectOptions(.selectOptions),
                    at: offset(start)
                )
            }
            guard let (name, end) = peekIdentifier(), let shape = names.propertyShape(name),
                !peekLiteral(".", ahead: end - index)
            else { throw fail(expected: "a property") }
            index = end
            segments.append(Self.propertySegment(name, shape))
            switch shape {
            case .primitive, .entity, .entityCollection, .stream:
                return ODataSelectItem(.path(segments), at: offset(start))
            case .primitiveCollection:
                return ODataSelectItem(
                    .path(segments),
                    options: try readSelectOptions(.selectCollectionOptions),
                    at: offset(start)
                )
            case .complex, .complexCollection:
                let save = index
                if consumeLiteral("/"), let cast = consumeComplexTypeName() {
                    segments.append(.cast(cast))
                } else {
                    index = save
                }
                if consumeLiteral("/") { continue }
                return ODataSelectItem(
                    .path(segments),
                    options: try readSelectOptions(.selectOptions),
                    at: offset(start)
                )
            }
        }
    }

    /// `[(option;…)]` after a select path.
    private mutating func readSelectOptions(_ allowed: Set<ODataOptionName>) throws(ODataQueryError)
        -> [ODataQueryOption]
    {
        guard consume("(") else { return [] }
        let options = try readNestedOptions(allowed: allowed)
        try expect(")")
        return options
    }
}
