/// Parses the query parameters of NGSI-LD Query Entities: `q`, `scopeQ`, `type` and `idPattern`.
///
/// ```swift
/// let parser = NGSILDQueryParser()
/// let query = try parser.parseQuery(#"(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false"#)
/// let scopes = try parser.parseScopeQuery("/Madrid/#|/Paris/+")
/// let types = try parser.parseTypeSelection("(Building;Landmark),Vehicle")
/// let idPattern = try parser.parsePattern("^urn:ngsi-ld:Building:[0-9]+$")
/// ```
///
/// Each parser takes the parameter's value as the HTTP layer percent-decoded it, and reads it by
/// recursive descent. Errors are ``NGSILDQueryError``s naming the parameter and the character
/// offset of the mistake. The grammars have no white space: a space outside a quoted string is an
/// error.
///
/// ## `q` (clause 4.9)
/// Terms joined by `;` (AND) and `|` (OR); AND binds tighter, parentheses group and may nest. A
/// term is an attribute path alone (the attribute exists) or followed by `==` `!=` `>` `>=` `<`
/// `<=` and a value, or by `~=` `!~=` and a pattern. See ``NGSILDQueryTerm``, ``NGSILDAttributePath``
/// and ``NGSILDQueryValue``.
public struct NGSILDQueryParser: Sendable {
    /// How deeply parentheses, linked entity paths and regex groups may nest (each counted alone).
    public var maximumDepth: Int
    /// The longest accepted input, in UTF-8 bytes.
    public var maximumLength: Int

    /// Creates a parser with limits on nesting (default 32 levels) and input size (default 16 KiB).
    public init(maximumDepth: Int = 32, maximumLength: Int = 16_384) {
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    /// Parses the `q` parameter, e.g. `airQualityLevel>=4;airQualityLevel<7`.
    public func parseQuery(_ text: String) throws(NGSILDQueryError) -> NGSILDQuery {
        try read(text, parameter: "q") { (reader: inout NGSILDReader) throws(NGSILDQueryError) in
            try reader.readWholeExpression(orOperators: ["|"]) {
                (reader: inout NGSILDReader) throws(NGSILDQueryError) in
                try reader.readQueryTerm()
            }
        }
    }

    /// Parses the `scopeQ` parameter, e.g. `/Madrid/Gardens/#;/CompanyA/+`. OR is written `|` or `,`.
    public func parseScopeQuery(_ text: String) throws(NGSILDQueryError) -> NGSILDScopeQuery {
        try read(text, parameter: "scopeQ") { (reader: inout NGSILDReader) throws(NGSILDQueryError) in
            try reader.readWholeExpression(orOperators: ["|", ","]) {
                (reader: inout NGSILDReader) throws(NGSILDQueryError) in
                try reader.readScopePattern()
            }
        }
    }

    /// Parses the `type` parameter, e.g. `Building`, `Building,Vehicle` or `(Building;Landmark)|Vehicle`.
    public func parseTypeSelection(_ text: String) throws(NGSILDQueryError) -> NGSILDTypeSelection {
        try read(text, parameter: "type") { (reader: inout NGSILDReader) throws(NGSILDQueryError) in
            try reader.readWholeExpression(orOperators: ["|", ","]) {
                (reader: inout NGSILDReader) throws(NGSILDQueryError) in
                try reader.readEntityType()
            }
        }
    }

    /// Checks a whole regular expression, such as the `idPattern` parameter, against the supported
    /// subset (see ``NGSILDPattern``); `parameter` names it in errors.
    public func parsePattern(_ text: String, parameter: String = "idPattern") throws(NGSILDQueryError) -> NGSILDPattern
    {
        try read(text, parameter: parameter) { (reader: inout NGSILDReader) throws(NGSILDQueryError) in
            try reader.readRegex(embedded: false)
            return NGSILDPattern(checked: text)
        }
    }

    private func read<Result>(
        _ text: String,
        parameter: String,
        _ body: (inout NGSILDReader) throws(NGSILDQueryError) -> Result
    ) throws(NGSILDQueryError) -> Result {
        let bytes = Array(text.utf8)
        do throws(NGSILDQueryError) {
            guard bytes.count <= maximumLength else {
                throw NGSILDQueryError(
                    parameter: parameter,
                    code: .tooLong,
                    message: "longer than \(maximumLength) bytes",
                    position: maximumLength
                )
            }
            var reader = NGSILDReader(bytes: bytes, parameter: parameter, maximumDepth: maximumDepth)
            return try body(&reader)
        } catch {
            throw error.moved(to: bytes.characterOffset(ofByte: error.position))
        }
    }
}
