extension NGSILDReader {
    /// Reads one `scopeQ` pattern: `/` followed by levels (names or `+`) separated by `/`, optionally
    /// ending with `/#`; or `/#` alone.
    mutating func readScopePattern() throws(NGSILDQueryError) -> NGSILDScopePattern {
        guard consume("/") else {
            throw error(.syntax, "expected '/' to start a scope")
        }
        var levels: [NGSILDScopePattern.Level] = []
        repeat {
            if consume("#") {
                if peek("/") { throw error(.syntax, "'#' must be the last level of a scope") }
                return NGSILDScopePattern(levels: levels, includesDescendants: true)
            }
            if consume("+") {
                levels.append(.anyLevel)
            } else {
                levels.append(.name(try readName("a scope level")))
            }
        } while consume("/")
        return NGSILDScopePattern(levels: levels)
    }

    /// Reads one entity type of a type selection: a name (`Building`) or an IRI
    /// (`https://example.org/ns#Building`, `ngsi-ld:Building`), up to `,` `;` `|` `(` `)` or the end.
    mutating func readEntityType() throws(NGSILDQueryError) -> String {
        var end = index
        while !isDelimiter(at: end), bytes[end] != UInt8(ascii: ":") { end += 1 }
        if !isDelimiter(at: end) {
            return try readIRI("an entity type", code: .invalidName)
        }
        let name = try readName("an entity type")
        guard isDelimiter(at: index) else {
            throw error(.invalidName, "unexpected \(shown(at: index)) in an entity type")
        }
        return name
    }
}
