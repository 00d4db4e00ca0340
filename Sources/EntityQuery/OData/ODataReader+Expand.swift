extension ODataReader {
    /// `expandItem *(COMMA expandItem)`.
    mutating func readExpand() throws(ODataQueryError) -> [ODataExpandItem] {
        var items: [ODataExpandItem] = []
        repeat {
            items.append(try readExpandItem())
        } while consume(",")
        return items
    }

    /// `$value`, or casts and complex properties followed by `*`, a navigation property, an
    /// annotation or a stream property, with `/$ref`, `/$count` or options.
    private mutating func readExpandItem() throws(ODataQueryError) -> ODataExpandItem {
        let start = index
        if consumeKeywordExactly("$value") { return ODataExpandItem(.value, at: offset(start)) }
        try enter()
        defer { leave() }
        var prefix: [ODataSegment] = []
        while true {
            if consume("*") { return try readExpandStar(prefix: prefix, at: start) }
            if peek("@") {
                let annotation = try readAnnotationName()
                prefix.append(.annotation(annotation))
                if consumeLiteral("/") {
                    if let cast = consumeEntityTypeName(), !peekLiteral("/") || isRefOrCountAhead() {
                        prefix.append(.cast(cast))
                        return try readExpandTail(.path(prefix), at: start)
                    }
                    continue
                }
                return try readExpandTail(.path(prefix), at: start)
            }
            let nameStart = index
            if let (name, end) = peekIdentifier(), let shape = names.propertyShape(name),
                !peekLiteral(".", ahead: end - index)
            {
                index = end
                prefix.append(Self.propertySegment(name, shape))
                switch shape {
                case .entity, .entityCollection:
                    let save = index
                    if consumeLiteral("/"), let cast = consumeEntityTypeName() {
                        prefix.append(.cast(cast))
                    } else {
                        index = save
                    }
                    return try readExpandTail(.path(prefix), at: start)
                case .stream:
                    return ODataExpandItem(.path(prefix), at: offset(start))
                case .complex, .complexCollection:
                    try expectLiteral("/")
                    continue
                case .primitive, .primitiveCollection:
                    throw fail(.syntax, "'\(name)' is not a navigation property", at: nameStart)
                }
            }
            guard let cast = consumeStructuredTypeName() else {
                throw fail(expected: "a navigation property or '*'")
            }
            prefix.append(.cast(cast))
            try expectLiteral("/")
        }
    }

    private func isRefOrCountAhead() -> Bool {
        var probe = self
        return probe.consumeExactly("/$ref") || probe.consumeExactly("/$count")
    }

    /// After `*`: `/$ref` or `($levels=…)`.
    private mutating func readExpandStar(prefix: [ODataSegment], at start: Int) throws(ODataQueryError)
        -> ODataExpandItem
    {
        if consumeExactly("/$ref") { return ODataExpandItem(.all(prefix), isRef: true, at: offset(start)) }
        guard consume("(") else { return ODataExpandItem(.all(prefix), at: offset(start)) }
        let option = try readQueryOption(allowed: [.levels], nested: true)
        try expect(")")
        return ODataExpandItem(.all(prefix), options: [option], at: offset(start))
    }

    /// After a navigation property: `/$ref[(…)]`, `/$count[(…)]` or `(…)`.
    private mutating func readExpandTail(_ target: ODataExpandItem.Target, at start: Int) throws(ODataQueryError)
        -> ODataExpandItem
    {
        if consumeExactly("/$ref") {
            return ODataExpandItem(
                target,
                isRef: true,
                options: try readParenthesizedOptions(.refOptions),
                at: offset(start)
            )
        }
        if consumeExactly("/$count") {
            return ODataExpandItem(
                target,
                isCount: true,
                options: try readParenthesizedOptions(.countOptions),
                at: offset(start)
            )
        }
        return ODataExpandItem(
            target,
            options: try readParenthesizedOptions(.expandOptions, aliases: true),
            at: offset(start)
        )
    }

    private mutating func readParenthesizedOptions(_ allowed: Set<ODataOptionName>, aliases: Bool = false)
        throws(ODataQueryError) -> [ODataQueryOption]
    {
        guard consume("(") else { return [] }
        let options = try readNestedOptions(allowed: allowed, aliases: aliases)
        try expect(")")
        return options
    }
}
