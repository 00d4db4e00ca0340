/// Parses OData 4.01 URLs and their parts (resource paths, query options, `$filter`…, `Prefer`)
/// into the OData syntax tree, per the OASIS ABNF.
///
/// ```swift
/// var names = ODataNameModel()
/// names.entitySetNames = ["Products"]
/// names.primitiveNonKeyProperties = ["Name", "Price"]
/// let parser = ODataParser(names: names)
/// let uri = try parser.parseRelativeURI("Products?$filter=Price%20gt%202&$top=3")
/// let options = try ODataQueryOptions(uri.options)   // options.filter, options.top == 3
/// ```
///
/// ## Input
/// Give the text as it came (still percent-encoded): the parser decodes it, treating `%28` as `(`,
/// `%27` as a quote, `%20` as a space wherever the grammar allows, while `%2F` inside a key stays
/// part of the key. Option names may be written with or without `$`, in any case, or as `%24…`.
/// With ``plusIsSpace`` (the default) a literal `+` is a space, as form encoding has it; a
/// date-time offset's `+` that arrived unencoded (`…T10:00:00 01:00`) is still read as `+`.
/// DateTimeOffset literals without an offset are read as UTC.
///
/// ## Errors
/// ``ODataQueryError`` with the 0-based character offset in the text given to the method, the
/// text found there and, for query strings, the option it lies in: `expected ')' at position 14 in
/// $filter`. Nesting deeper than ``maximumDepth`` and input longer than ``maximumLength`` are
/// errors too (`tooDeep`, `tooLong`), never a crash.
public struct ODataParser: Sendable {
    /// The service's names, which resolve the grammar's ambiguities.
    public var names: ODataNameModel
    /// How deeply expressions (parentheses, operators, arrays, `$expand`) may nest.
    public var maximumDepth: Int
    /// The longest accepted input, in UTF-8 bytes.
    public var maximumLength: Int
    /// Whether a literal `+` is a space (form encoding).
    public var plusIsSpace: Bool
    /// Whether `Set('key')` with a plain key (letters, digits, `-._~:`) is read by a shortcut that
    /// builds the same tree as the grammar: what most requests for one entity look like.
    public var readsPlainKeysDirectly = true

    /// Creates a parser: at most 64 levels of nesting, 256 KiB of input, `+` as a space.
    public init(names: ODataNameModel, maximumDepth: Int = 64, maximumLength: Int = 262_144, plusIsSpace: Bool = true) {
        self.names = names
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
        self.plusIsSpace = plusIsSpace
    }

    /// Parses a URL relative to the service root: `Products(1)/Category?$select=Name`, `$metadata`,
    /// `$batch`, `$entity?$id=…`; the empty string is the service document.
    public func parseRelativeURI(_ text: String) throws(ODataQueryError) -> ODataRelativeURI {
        if readsPlainKeysDirectly, let uri = entityWithPlainKey(text) { return uri }
        return try run(text, optionContext: true) { reader throws(ODataQueryError) in try reader.readRelativeURI() }
    }

    /// `Set('key')` where `Set` is an entity set and the key holds nothing to decode or escape:
    /// the tree the grammar gives it, or `nil` for any other text.
    private func entityWithPlainKey(_ text: String) -> ODataRelativeURI? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 512, let open = bytes.firstIndex(of: UInt8(ascii: "(")), open > 0,
            bytes.count >= open + 4, bytes[open + 1] == UInt8(ascii: "'"),
            bytes[bytes.count - 2] == UInt8(ascii: "'"), bytes[bytes.count - 1] == UInt8(ascii: ")"),
            bytes[..<open].allSatisfy(Self.isIdentifierByte), !Self.isDigit(bytes[0])
        else { return nil }
        let key = bytes[(open + 2)..<(bytes.count - 2)]
        guard key.allSatisfy(Self.isPlainKeyByte) else { return nil }
        let name = String(decoding: bytes[..<open], as: UTF8.self)
        guard names.entitySetNames.contains(name) else { return nil }
        let value = ODataKeyValue(
            name: nil,
            value: .literal(.string(String(decoding: key, as: UTF8.self))),
            position: open + 1
        )
        return ODataRelativeURI(resource: .path([.entitySet(name), .key(ODataKey(values: [value]))]))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isPlainKeyByte(_ byte: UInt8) -> Bool {
        isIdentifierByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
            || byte == UInt8(ascii: ":")
    }

    /// Parses a resource path (without `?` and query): `Categories(1)/Products/$count`.
    public func parseResourcePath(_ text: String) throws(ODataQueryError) -> [ODataSegment] {
        try run(text) { reader throws(ODataQueryError) in try reader.readResourcePath() }
    }

    /// Parses a raw query string (after `?`) into its options, in order; empty options are skipped.
    public func parseQueryOptions(_ text: String) throws(ODataQueryError) -> [ODataQueryOption] {
        try run(text, optionContext: true) { reader throws(ODataQueryError) in try reader.readQueryOptions() }
    }

    /// Parses a raw query string and gathers the options, rejecting repeated system options.
    public func parseQuery(_ text: String) throws(ODataQueryError) -> ODataQueryOptions {
        try ODataQueryOptions(parseQueryOptions(text))
    }

    /// Parses the value of `$filter` (a Boolean expression).
    public func parseFilter(_ text: String) throws(ODataQueryError) -> ODataExpression {
        try run(text, option: "$filter") { reader throws(ODataQueryError) in try reader.readCommonExpression() }
    }

    /// Parses an expression or JSON value: the value of a parameter alias or function parameter.
    public func parseExpression(_ text: String) throws(ODataQueryError) -> ODataExpression {
        try run(text) { reader throws(ODataQueryError) in try reader.readParameterValue() }
    }

    /// Parses the value of `$orderby`.
    public func parseOrderBy(_ text: String) throws(ODataQueryError) -> [ODataOrderItem] {
        try option("$orderby", text) { if case .orderby(let items) = $0 { items } else { nil } }
    }

    /// Parses the value of `$select`.
    public func parseSelect(_ text: String) throws(ODataQueryError) -> [ODataSelectItem] {
        try option("$select", text) { if case .select(let items) = $0 { items } else { nil } }
    }

    /// Parses the value of `$expand`.
    public func parseExpand(_ text: String) throws(ODataQueryError) -> [ODataExpandItem] {
        try option("$expand", text) { if case .expand(let items) = $0 { items } else { nil } }
    }

    /// Parses the value of `$search`.
    public func parseSearch(_ text: String) throws(ODataQueryError) -> ODataSearchExpression {
        try option("$search", text) { if case .search(let expression) = $0 { expression } else { nil } }
    }

    /// Parses the value of `$compute`.
    public func parseCompute(_ text: String) throws(ODataQueryError) -> [ODataComputeItem] {
        try option("$compute", text) { if case .compute(let items) = $0 { items } else { nil } }
    }

    /// Parses the value of a `Prefer` header: preferences separated by commas.
    public func parsePreferences(_ headerValue: String) throws(ODataQueryError) -> [ODataPreference] {
        try run(headerValue, decodes: false) { reader throws(ODataQueryError) in try reader.readPreferences() }
    }

    /// Parses `value` as the value of the system option `name` by reading `name=value`; positions
    /// stay those of `value`.
    private func option<T>(
        _ name: String,
        _ value: String,
        _ extract: (ODataQueryOption.Value) -> T?
    ) throws(ODataQueryError) -> T {
        let prefix = name + "="
        do throws(ODataQueryError) {
            let options = try parseQueryOptions(prefix + value)
            guard options.count == 1, let result = extract(options[0].value) else {
                throw ODataQueryError(code: .syntax, message: "expected \(name)", position: 0, token: value)
            }
            return result
        } catch {
            throw error.relocated(to: max(0, error.position - prefix.count), option: name)
        }
    }

    /// Reads all of `text` with `body`; errors report the farthest failure (and, with
    /// `optionContext`, the query option it lies in).
    func run<T>(
        _ text: String,
        option: String? = nil,
        optionContext: Bool = false,
        decodes: Bool = true,
        _ body: (inout ODataReader) throws(ODataQueryError) -> T
    ) throws(ODataQueryError) -> T {
        let raw = Array(text.utf8)
        guard raw.count <= maximumLength else {
            throw ODataQueryError(
                code: .tooLong,
                message: "input longer than \(maximumLength) bytes",
                position: maximumLength,
                token: ""
            )
        }
        let units =
            decodes
            ? ODataUnit.decode(raw, plusIsSpace: plusIsSpace)
            : raw.enumerated().map { ODataUnit(byte: $1, escaped: false, offset: $0) }
        var reader = ODataReader(raw: raw, units: units, names: names, maximumDepth: maximumDepth)
        do {
            let result = try body(&reader)
            try reader.expectEnd()
            return result
        } catch {
            let final = reader.finalError(error, option: option)
            guard optionContext else { throw final }
            throw final.relocated(to: final.position, option: Self.optionName(in: text, at: final.position))
        }
    }

    /// The canonical name (`$filter`, `@p`, `name`) of the query option around character `position`
    /// of a URL or query string, if `position` lies in one.
    static func optionName(in text: String, at position: Int) -> String? {
        let characters = Array(text)
        guard let questionMark = characters.firstIndex(of: "?") ?? (text.contains("=") ? -1 : nil) else {
            return nil
        }
        var start = min(position, characters.count)
        while start > questionMark + 1, characters[start - 1] != "&" { start -= 1 }
        guard start > questionMark else { return nil }
        let part = String(characters[start..<characters.count].prefix { $0 != "&" && $0 != "=" })
        let name = part.removingPercentEncoding ?? part
        let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
        if let system = ODataOptionName(rawValue: bare.lowercased()) { return "$" + system.rawValue }
        return name.isEmpty ? nil : name
    }
}
