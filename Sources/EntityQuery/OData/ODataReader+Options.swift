/// The system query options, named without `$` and lower-cased.
enum ODataOptionName: String, Sendable, CaseIterable {
    case filter, orderby, select, expand, search, compute, apply, top, skip, count, index, levels
    case skiptoken, deltatoken, format, schemaversion, id
}

extension Set where Element == ODataOptionName {
    /// Inside `/$count(…)` and `$expand=Nav/$count(…)`.
    static let countOptions: Self = [.filter, .search]
    /// Inside `$expand=Nav/$ref(…)`.
    static let refOptions: Self = [.filter, .search, .orderby, .skip, .top, .count]
    /// Inside `$expand=Nav(…)` (aliases too).
    static let expandOptions: Self = refOptions.union([.select, .expand, .compute, .levels])
    /// Inside `$select=Collection(…)` of primitives.
    static let selectCollectionOptions: Self = refOptions
    /// Inside `$select=Complex(…)` (aliases too).
    static let selectOptions: Self = refOptions.union([.compute, .select])
    /// At the top level of a URL's query.
    static let topLevel: Self = Set(ODataOptionName.allCases).subtracting([.levels])
}

extension ODataReader {
    /// `queryOptions`: options separated by literal `&` (empty ones are skipped), up to the end.
    /// With `stopAtHash`, a literal `#` ends the options (a context URL fragment follows).
    mutating func readQueryOptions(allowed: Set<ODataOptionName> = .topLevel, stopAtHash: Bool = false)
        throws(ODataQueryError) -> [ODataQueryOption]
    {
        var options: [ODataQueryOption] = []
        repeat {
            if isAtEnd || peekLiteral("&") || (stopAtHash && peekLiteral("#")) { continue }
            options.append(try readQueryOption(allowed: allowed, nested: false))
            guard isAtEnd || peekLiteral("&") || (stopAtHash && peekLiteral("#")) else {
                throw fail(expected: "'&' or the end of the query")
            }
        } while consumeLiteral("&")
        return options
    }

    /// Options separated by `;` inside parentheses, up to (not including) the `)`.
    /// `aliases`: whether `@name=value` options may appear.
    mutating func readNestedOptions(allowed: Set<ODataOptionName>, aliases: Bool = true) throws(ODataQueryError)
        -> [ODataQueryOption]
    {
        var options: [ODataQueryOption] = []
        repeat {
            if !aliases, peek("@") { throw fail(.syntax, "aliases are not allowed here", at: index) }
            options.append(try readQueryOption(allowed: allowed, nested: true))
        } while consume(";")
        return options
    }

    /// The option name here, decoded, and whether it is a system option (`$name` or a bare system
    /// option name).
    private func peekOptionName(nested: Bool) -> (name: String, end: Int) {
        var end = index
        var bytes: [UInt8] = []
        while end < units.count {
            let unit = units[end]
            if !unit.escaped, unit.byte == UInt8(ascii: "=") || unit.byte == UInt8(ascii: "&") { break }
            // Nested options (`$expand=a($select%3Db)`) arrive with their `=` encoded.
            if nested, unit.byte == UInt8(ascii: "=") { break }
            if nested, unit.byte == UInt8(ascii: ";") || unit.byte == UInt8(ascii: ")") { break }
            bytes.append(unit.byte)
            end += 1
        }
        return (String(decoding: bytes, as: UTF8.self), end)
    }

    /// One option: a system option in `allowed`, an alias `@a=…`, a function parameter or (at the
    /// top level) a custom option.
    mutating func readQueryOption(allowed: Set<ODataOptionName>, nested: Bool) throws(ODataQueryError)
        -> ODataQueryOption
    {
        let start = index
        let (name, nameEnd) = peekOptionName(nested: nested)
        let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
        if let system = ODataOptionName(rawValue: bare.lowercased()) {
            guard allowed.contains(system) else {
                throw fail(.syntax, "\(name) is not allowed here", at: start)
            }
            index = nameEnd
            try expectLiteral("=")
            return ODataQueryOption(try readSystemOption(system, nested: nested), at: offset(start))
        }
        if name.hasPrefix("$") {
            // `$filter =x`: a known name followed by something other than `=`.
            let lowered = bare.lowercased()
            if let known = ODataOptionName.allCases.map(\.rawValue).filter({ lowered.hasPrefix($0) }).max(by: {
                $0.count < $1.count
            }),
                let next = lowered.dropFirst(known.count).first, !next.isLetter
            {
                throw fail(expected: "'='", at: index + 1 + known.count)
            }
            throw fail(.unknownName, "unknown system query option '\(name)'", at: start)
        }
        if peek("@") {
            index += 1
            let alias = try readIdentifier("an alias name")
            try expectLiteral("=")
            return ODataQueryOption(.alias(alias, try readParameterValue()), at: offset(start))
        }
        if nested { throw fail(expected: "a query option", at: start) }
        let isParameter = names.parameterNames.contains(name)
        if isParameter, peekLiteral("=", ahead: nameEnd - index),
            let option = attempt({ reader throws(ODataQueryError) -> ODataQueryOption in
                reader.index = nameEnd + 1
                let value = try reader.readParameterValue()
                guard reader.isAtEnd || reader.peekLiteral("&") else { throw reader.fail(expected: "'&'") }
                return ODataQueryOption(.parameter(name, value), at: reader.offset(start))
            })
        {
            return option
        }
        return try readCustomOption(name: name, nameEnd: nameEnd)
    }

    /// `customQueryOption`: `name[=value]`, the name not starting with `$` or `@`.
    private mutating func readCustomOption(name: String, nameEnd: Int) throws(ODataQueryError) -> ODataQueryOption {
        let start = index
        guard !name.isEmpty else { throw fail(expected: "a query option") }
        if let customNames = names.customNames, !customNames.contains(name) {
            throw fail(.unknownName, "unknown query option '\(name)'", at: start)
        }
        index = nameEnd
        guard consumeLiteral("=") else { return ODataQueryOption(.custom(name, nil), at: offset(start)) }
        return ODataQueryOption(.custom(name, try readRawValue(nested: false, allowEmpty: true)), at: offset(start))
    }

    /// `parameterValue`: a JSON array or object, or an expression.
    mutating func readParameterValue() throws(ODataQueryError) -> ODataExpression {
        if peek("[") || peek("{") { return try readArrayOrObject() }
        return try readCommonExpression()
    }

    /// The decoded text up to the next `&` (or `;` / `)` when nested).
    mutating func readRawValue(nested: Bool, allowEmpty: Bool = false) throws(ODataQueryError) -> String {
        let start = index
        while let byte = byte() {
            let escaped = units[index].escaped
            if !escaped, byte == UInt8(ascii: "&") || byte == UInt8(ascii: "#") { break }
            if nested, byte == UInt8(ascii: ";") || (byte == UInt8(ascii: ")") && !escaped) { break }
            index += 1
        }
        guard allowEmpty || index > start else { throw fail(expected: "a value") }
        guard let text = String(validating: units[start..<index].map(\.byte), as: UTF8.self) else {
            throw failFatally(.invalidValue, "invalid UTF-8 in a query option", at: start)
        }
        return text
    }

    /// The value of a system option, after its `=`.
    private mutating func readSystemOption(_ option: ODataOptionName, nested: Bool) throws(ODataQueryError)
        -> ODataQueryOption.Value
    {
        switch option {
        case .filter: return .filter(try readCommonExpression())
        case .orderby: return .orderby(try readOrderBy())
        case .select: return .select(try readSelect())
        case .expand: return .expand(try readExpand())
        case .search:
            skipSpaces()
            return .search(try readSearch())
        case .compute: return .compute(try readCompute())
        case .apply: return .apply(try readRawValue(nested: nested))
        case .top, .skip:
            let start = index
            guard let value = Int(try readDigitRun()) else {
                throw fail(.invalidValue, "number too large", at: start)
            }
            return option == .top ? .top(value) : .skip(value)
        case .count:
            guard let value = consumeBoolean() else { throw fail(expected: "true or false") }
            return .count(value)
        case .index:
            let start = index
            let negative = consumeLiteral("-")
            guard let value = Int((negative ? "-" : "") + (try readDigitRun())) else {
                throw fail(.invalidValue, "number too large", at: start)
            }
            return .index(value)
        case .levels:
            if consumeKeyword("max") { return .levels(nil) }
            let start = index
            guard let first = byte(), (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else {
                throw fail(expected: "a number from 1 or max")
            }
            guard let value = Int(try readDigitRun()) else { throw fail(.invalidValue, "number too large", at: start) }
            return .levels(value)
        case .skiptoken: return .skiptoken(try readRawValue(nested: nested))
        case .deltatoken: return .deltatoken(try readRawValue(nested: nested))
        case .id: return .id(try readRawValue(nested: nested))
        case .format: return .format(try readFormat())
        case .schemaversion:
            if consume("*") { return .schemaversion("*") }
            let start = index
            while let byte = byte(), ODataUnit.isUnreserved(byte), !units[index].escaped { index += 1 }
            guard index > start else { throw fail(expected: "a schema version or '*'") }
            return .schemaversion(rawDecodedText(start, index))
        }
    }

    /// `format`: `json`, `xml`, `atom` (any case) or `type/subtype`.
    private mutating func readFormat() throws(ODataQueryError) -> String {
        let start = index
        func isPathCharacter(_ unit: ODataUnit) -> Bool {
            unit.escaped || ODataUnit.isUnreserved(unit.byte) || Array("!$'()*+,;=:@".utf8).contains(unit.byte)
        }
        // `/` ends the type, also encoded (`application%2Fjson`, as form encoding sends it).
        while index < units.count, isPathCharacter(units[index]), units[index].byte != UInt8(ascii: "/") { index += 1 }
        let type = rawDecodedText(start, index)
        if ["json", "xml", "atom"].contains(type.lowercased()) { return type }
        guard index > start else { throw fail(expected: "json, xml or a media type") }
        try expect("/")
        let subtypeStart = index
        while index < units.count, isPathCharacter(units[index]) { index += 1 }
        guard index > subtypeStart else { throw fail(expected: "a media subtype") }
        return rawDecodedText(start, index)
    }

    /// `orderbyItem *(COMMA orderbyItem)`.
    private mutating func readOrderBy() throws(ODataQueryError) -> [ODataOrderItem] {
        var items: [ODataOrderItem] = []
        repeat {
            let expression = try readCommonExpression()
            var descending = false
            let save = index
            if consumeSpaces() {
                if consumeKeyword("desc") {
                    descending = true
                } else if !consumeKeyword("asc") {
                    _ = fail(expected: "asc or desc")
                    index = save
                }
            }
            items.append(ODataOrderItem(expression, descending: descending))
        } while consume(",")
        return items
    }

    /// `computeItem *(COMMA computeItem)`: `expression as Name`.
    private mutating func readCompute() throws(ODataQueryError) -> [ODataComputeItem] {
        var items: [ODataComputeItem] = []
        repeat {
            let expression = try readCommonExpression()
            guard consumeSpaces(), consumeKeyword("as"), consumeSpaces() else { throw fail(expected: "' as '") }
            items.append(ODataComputeItem(expression, as: try readIdentifier("a computed property name")))
        } while consume(",")
        return items
    }
}
