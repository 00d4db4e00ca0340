extension ODataReader {
    /// `odataRelativeUri`: `$batch`, `$entity`, `$metadata` or a resource path, each with its
    /// query options.
    mutating func readRelativeURI() throws(ODataQueryError) -> ODataRelativeURI {
        if consumeKeywordExactly("$batch") {
            return ODataRelativeURI(resource: .batch, options: try readOptionsAfterQuestionMark([.format]))
        }
        if consumeKeywordExactly("$entity") {
            var cast: ODataQualifiedName?
            if consumeLiteral("/") {
                guard let name = consumeEntityTypeName() else { throw fail(expected: "an entity type name") }
                cast = name
            }
            try expectLiteral("?")
            let allowed: Set<ODataOptionName> = cast == nil ? [.format, .id] : [.format, .id, .select, .expand]
            let options = try readQueryOptions(allowed: allowed)
            guard options.contains(where: { if case .id = $0.value { true } else { false } }) else {
                throw fail(expected: "$id")
            }
            return ODataRelativeURI(resource: .entity(cast: cast), options: options)
        }
        if consumeKeywordExactly("$metadata") {
            var options: [ODataQueryOption] = []
            if consumeLiteral("?") { options = try readQueryOptions(allowed: [.format], stopAtHash: true) }
            var fragment: String?
            if consumeLiteral("#") {
                fragment = try readRawValue(nested: false, allowEmpty: false)
            }
            return ODataRelativeURI(resource: .metadata(fragment: fragment), options: options)
        }
        if isAtEnd { return ODataRelativeURI(resource: .serviceDocument) }
        let path = try readResourcePath()
        let options = try readOptionsAfterQuestionMark(.topLevel)
        return ODataRelativeURI(resource: .path(path), options: options)
    }

    private mutating func readOptionsAfterQuestionMark(_ allowed: Set<ODataOptionName>) throws(ODataQueryError)
        -> [ODataQueryOption]
    {
        guard consumeLiteral("?") else {
            try expectEnd()
            return []
        }
        return try readQueryOptions(allowed: allowed)
    }

    /// `odataUri`: `http(s)://host[:port]/` and service root segments, then a relative URI. The
    /// service root is the shortest prefix after which the rest parses.
    mutating func readODataURI() throws(ODataQueryError) -> ODataRelativeURI {
        let schemeStart = index
        guard consumeCaseInsensitive("https") || consumeCaseInsensitive("http") else {
            throw fail(expected: "http or https", at: schemeStart)
        }
        try expectLiteral(":")
        try expectLiteral("/")
        try expectLiteral("/")
        try readHost()
        if consumeLiteral(":") {
            while let byte = byte(), ODataUnit.isDigit(byte) { index += 1 }
        }
        try expectLiteral("/")
        var candidates = [index]
        var probe = index
        while probe < units.count, !(units[probe].byte == UInt8(ascii: "?") && !units[probe].escaped),
            !(units[probe].byte == UInt8(ascii: "#") && !units[probe].escaped)
        {
            if units[probe].byte == UInt8(ascii: "/"), !units[probe].escaped, probe > candidates.last! {
                candidates.append(probe + 1)
            }
            probe += 1
        }
        var lastError: ODataQueryError?
        for candidate in candidates {
            index = candidate
            do throws(ODataQueryError) {
                let uri = try readRelativeURI()
                try expectEnd()
                return uri
            } catch {
                lastError = error
            }
        }
        throw lastError ?? fail(expected: "a path")
    }

    /// `host`: `[IPv6 or IPvFuture]`, an IPv4 address or a registered name.
    private mutating func readHost() throws(ODataQueryError) {
        if consumeLiteral("[") {
            let start = index
            while let byte = byte(), byte != UInt8(ascii: "]") {
                let allowed =
                    ODataUnit.isHexDigit(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                    || (byte == UInt8(ascii: "v") && index == start) || ODataUnit.isUnreserved(byte)
                guard allowed else { throw fail(expected: "']'") }
                index += 1
            }
            let literal = rawText(start, index)
            guard Self.isIPLiteral(literal) else { throw fail(.invalidValue, "invalid IP address", at: start) }
            try expectLiteral("]")
            return
        }
        while let byte = byte(),
            units[index].escaped || ODataUnit.isUnreserved(byte) || Array("!$&'()*+,;=".utf8).contains(byte)
        {
            index += 1
        }
    }

    /// An IPv6 address (up to eight groups of one to four hex digits, at most one `::`, possibly
    /// ending in IPv4) or an IPvFuture `vX.text`.
    static func isIPLiteral(_ text: String) -> Bool {
        if text.hasPrefix("v") {
            let rest = text.dropFirst().split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            return rest.count == 2 && !rest[0].isEmpty && rest[0].allSatisfy(\.isHexDigit) && !rest[1].isEmpty
        }
        let doubleColons = text.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        var groups = text.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        var groupCount = groups.count
        if let last = groups.last, last.contains(".") {
            let octets = last.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
            groups.removeLast()
            groupCount += 1
        }
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return false }
        return doubleColons == 1 ? groupCount <= 7 : groupCount == 8
    }
}
