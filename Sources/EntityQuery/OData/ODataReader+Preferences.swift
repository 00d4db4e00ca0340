extension ODataReader {
    /// `prefer`: `Prefer:` and preferences separated by commas.
    mutating func readPreferHeader() throws(ODataQueryError) -> [ODataPreference] {
        guard consumeCaseInsensitive("Prefer") else { throw fail(expected: "'Prefer'") }
        try expectLiteral(":")
        skipHeaderSpaces()
        return try readPreferences()
    }

    /// Preferences separated by commas (the value of a `Prefer` header).
    mutating func readPreferences() throws(ODataQueryError) -> [ODataPreference] {
        var preferences: [ODataPreference] = []
        repeat {
            skipHeaderSpaces()
            preferences.append(try readPreference())
            skipHeaderSpaces()
        } while consumeLiteral(",")
        return preferences
    }

    /// `OWS`: spaces and tabs written literally.
    mutating func skipHeaderSpaces() {
        while peekLiteral(" ") || peekLiteral("\t") { index += 1 }
    }

    /// `EQ-h`: `=` with optional spaces around it.
    private mutating func expectHeaderEquals() throws(ODataQueryError) {
        skipHeaderSpaces()
        try expectLiteral("=")
        skipHeaderSpaces()
    }

    /// One `preference`; names the grammar does not list are ``ODataPreference/other(name:value:)``.
    mutating func readPreference() throws(ODataQueryError) -> ODataPreference {
        let start = index
        let hasPrefix = consumeCaseInsensitive("odata.")
        let nameStart = index
        while let byte = byte(), ODataUnit.isAlpha(byte) || byte == UInt8(ascii: "-") { index += 1 }
        let name = rawText(nameStart, index).lowercased()
        if let next = byte(), Self.isTokenByte(next), next != UInt8(ascii: "=") {
            index = start
            return try readOtherPreference()
        }
        switch name {
        case "allow-entityreferences": return .allowEntityReferences
        case "track-changes": return .trackChanges
        case "respond-async" where !hasPrefix: return .respondAsync
        case "callback":
            skipHeaderSpaces()
            try expectLiteral(";")
            skipHeaderSpaces()
            guard consumeCaseInsensitive("url") else { throw fail(expected: "'url'") }
            try expectHeaderEquals()
            try expectLiteral("\"")
            let url = try readCallbackURL()
            try expectLiteral("\"")
            return .callback(url: url)
        case "continue-on-error":
            let save = index
            skipHeaderSpaces()
            guard peekLiteral("=") else {
                index = save
                return .continueOnError(true)
            }
            try expectHeaderEquals()
            guard let value = consumeBoolean() else { throw fail(expected: "true or false") }
            return .continueOnError(value)
        case "include-annotations":
            try expectHeaderEquals()
            try expectLiteral("\"")
            var patterns: [String] = []
            repeat { patterns.append(try readAnnotationPattern()) } while consumeLiteral(",")
            try expectLiteral("\"")
            return .includeAnnotations(patterns)
        case "maxpagesize":
            try expectHeaderEquals()
            let valueStart = index
            guard let first = byte(), (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else {
                throw fail(expected: "a page size from 1")
            }
            guard let value = Int(try readDigitRun()) else {
                throw fail(.invalidValue, "page size too large", at: valueStart)
            }
            return .maxPageSize(value)
        case "omit-values" where !hasPrefix:
            try expectHeaderEquals()
            for value in ["nulls", "defaults"] where consumeCaseInsensitive(value) { return .omitValues(value) }
            throw fail(expected: "nulls or defaults")
        case "return" where !hasPrefix:
            try expectHeaderEquals()
            if consumeExactly("representation") { return .returnRepresentation(true) }
            if consumeExactly("minimal") { return .returnRepresentation(false) }
            throw fail(expected: "representation or minimal")
        case "wait" where !hasPrefix:
            try expectHeaderEquals()
            let valueStart = index
            guard let value = Int(try readDigitRun()) else {
                throw fail(.invalidValue, "wait too long", at: valueStart)
            }
            return .wait(value)
        default:
            index = start
            return try readOtherPreference()
        }
    }

    /// `annotationIdentifier`: `[-] (* / Namespace.Term / Namespace.*) [#qualifier]`.
    private mutating func readAnnotationPattern() throws(ODataQueryError) -> String {
        let start = index
        _ = consumeLiteral("-")
        if !consumeLiteral("*") {
            var parts = [try readIdentifier("a namespace")]
            while true {
                try expectLiteral(".")
                if consumeLiteral("*") { break }
                parts.append(try readIdentifier("a term name or '*'"))
                if !peekLiteral(".") { break }
            }
            let namespace = parts.count > 1 ? Array(parts.dropLast()) : parts
            guard names.isNamespace(namespace) else {
                throw fail(.unknownName, "unknown namespace '\(namespace.joined(separator: "."))'", at: start)
            }
        }
        if consumeLiteral("#") { _ = try readIdentifier("a qualifier") }
        return rawText(start, index)
    }

    /// The `URI` of a callback: a scheme, `:` and characters up to the closing quote.
    private mutating func readCallbackURL() throws(ODataQueryError) -> String {
        let start = index
        guard let first = byte(), ODataUnit.isAlpha(first) else { throw fail(expected: "a URL") }
        while let byte = byte(), ODataUnit.isAlpha(byte) || ODataUnit.isDigit(byte) || Array("+-.".utf8).contains(byte)
        {
            index += 1
        }
        try expectLiteral(":")
        while let byte = byte(), byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "\"") { index += 1 }
        return rawText(start, index)
    }

    /// RFC 7240 `token [= (token / quoted-string)]` and any `; parameter`s.
    private mutating func readOtherPreference() throws(ODataQueryError) -> ODataPreference {
        let start = index
        while let byte = byte(), Self.isTokenByte(byte) { index += 1 }
        guard index > start else { throw fail(expected: "a preference") }
        let name = rawText(start, index)
        var value: String?
        let save = index
        skipHeaderSpaces()
        if consumeLiteral("=") {
            skipHeaderSpaces()
            let valueStart = index
            if consumeLiteral("\"") {
                while let byte = byte(), byte != UInt8(ascii: "\"") { index += byte == UInt8(ascii: "\\") ? 2 : 1 }
                try expectLiteral("\"")
            } else {
                while let byte = byte(), Self.isTokenByte(byte) { index += 1 }
            }
            value = rawText(valueStart, index)
        } else {
            index = save
        }
        return .other(name: name, value: value)
    }

    /// `tchar` of RFC 7230.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        ODataUnit.isAlpha(byte) || ODataUnit.isDigit(byte) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
}
