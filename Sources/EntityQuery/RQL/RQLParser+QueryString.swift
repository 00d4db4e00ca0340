import EntityModel

extension RQLParser {
    /// Parses a whole query string; errors carry raw byte offsets.
    func parse(_ raw: [UInt8]) throws(RQLError) -> RQLRequest {
        try checkLength(raw)
        let start = raw.first == UInt8(ascii: "?") ? 1 : 0
        let units = RQLUnit.decode(raw, start..<raw.count)
        var request = RQLRequest()
        var terms: [Filter] = []
        var seen: Set<String> = []
        for part in Self.split(units) where !part.isEmpty {
            let end = part.upperBound < units.count ? units[part.upperBound].offset : raw.count
            let partUnits = Array(units[part])
            let partStart = partUnits[0].offset

            if let equals = Self.keywordEquals(partUnits) {
                let name = partUnits[..<equals].text ?? ""
                let valueStart = equals + 1 < partUnits.count ? partUnits[equals + 1].offset : end
                switch name {
                case "limit", "offset", "search":
                    guard seen.insert(name).inserted else {
                        throw RQLError(code: .invalidParameter, message: "\(name) given twice", position: partStart)
                    }
                    if name == "search" {
                        let decoded = RQLUnit.decode(raw, valueStart..<end, formEncoded: true)
                        guard let text = decoded.text else {
                            throw RQLError(
                                code: .invalidValue,
                                message: "invalid UTF-8 after percent-decoding",
                                position: valueStart
                            )
                        }
                        request.search = text.isEmpty ? nil : text
                    } else {
                        let text = partUnits[(equals + 1)...].text ?? ""
                        let value = try Self.nonNegativeInteger(text, name: name, at: valueStart)
                        if name == "limit" { request.limit = value } else { request.offset = value }
                    }
                default:
                    terms.append(try keywordTerm(partUnits, equals: equals, end: end))
                }
                continue
            }

            var reader = RQLReader(units: partUnits, end: end, maximumDepth: maximumDepth)
            reader.skipSpaces()
            let nameStart = reader.index
            let name = reader.readName()
            if ["select", "ordering", "sort"].contains(name), reader.peek("(") {
                let key = name == "select" ? "select" : "ordering"
                guard seen.insert(key).inserted else {
                    throw RQLError(code: .invalidParameter, message: "\(name) given twice", position: partStart)
                }
                let items = try reader.readSignedFields()
                if key == "select" {
                    request.projection = Projection(
                        include: items.filter { !$0.minus }.map(\.path),
                        exclude: items.filter(\.minus).map(\.path)
                    )
                } else {
                    request.sort = items.map { SortKey($0.path, descending: $0.minus) }
                }
            } else {
                reader.index = nameStart
                terms.append(try reader.readExpression(depth: 1, topLevel: true))
            }
            try reader.expectEnd()
        }
        if let first = terms.first {
            request.filter = terms.count == 1 ? first : .and(terms)
        }
        return request
    }

    /// `field=value` → `eq(field,value)`; `null()` / `empty()` / quoted values as in expressions.
    func keywordTerm(_ units: [RQLUnit], equals: Int, end: Int) throws(RQLError) -> Filter {
        let start = units[0].offset
        guard let name = units[..<equals].text else {
            throw RQLError(code: .invalidField, message: "invalid UTF-8 after percent-decoding", position: start)
        }
        let path = try RQLReader.fieldPath(name, at: start)
        let valueUnits = Array(units[(equals + 1)...])
        var reader = RQLReader(units: valueUnits, end: end, maximumDepth: maximumDepth)
        if let (value, _) = try? reader.readValue(), reader.isAtEnd {
            switch value {
            case .literal(let literal): return .compare(path, .eq, literal)
            case .null: return .isNull(path, negated: false)
            case .empty: return .compare(path, .eq, .empty)
            }
        }
        guard let text = valueUnits.text else {
            throw RQLError(code: .invalidValue, message: "invalid UTF-8 after percent-decoding", position: reader.end)
        }
        return .compare(path, .eq, .literal(text, quoted: false))
    }

    static func nonNegativeInteger(_ text: String, name: String, at position: Int) throws(RQLError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy(JSONNumber.isDigit), let value = Int(text) else {
            throw RQLError(
                code: .invalidParameter,
                message: "\(name) must be a non-negative integer, found '\(text)'",
                position: position
            )
        }
        return value
    }

    /// The index of the `=` of a `name=value` part: a literal `=` before any literal `(`.
    static func keywordEquals(_ units: [RQLUnit]) -> Int? {
        for (index, unit) in units.enumerated() {
            if unit.isLiteral("(") { return nil }
            if unit.isLiteral("=") { return index }
        }
        return nil
    }

    /// Splits decoded units at each literal `&` outside parentheses and quoted values; a
    /// `name=value` part ends at the next literal `&` regardless.
    static func split(_ units: [RQLUnit]) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        while true {
            var index = start
            let flat = keywordEquals(Array(units[start...].prefix { !$0.isLiteral("&") })) != nil
            var depth = 0
            while index < units.count {
                let unit = units[index]
                if unit.isLiteral("&"), flat || depth == 0 { break }
                if !flat {
                    if unit.isLiteral("(") {
                        depth += 1
                    } else if unit.isLiteral(")") {
                        depth = max(0, depth - 1)
                    } else if unit.isQuote, index > start,
                        units[index - 1].isLiteral("(") || units[index - 1].isLiteral(","),
                        let close = units.closingQuote(from: index)
                    {
                        index = close
                    }
                }
                index += 1
            }
            parts.append(start..<min(index, units.count))
            guard index < units.count else { return parts }
            start = index + 1
        }
    }
}
