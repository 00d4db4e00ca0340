/// Parses the RQL query strings of the Connect REST API into ``RQLRequest``s.
///
/// ```swift
/// let parser = RQLParser()
/// let request = try parser.parse(
///     queryString: "select(id,name)&eq(status,published)&ordering(-created)&limit=100&offset=0"
/// )
/// let precondition = try parser.parseFilter("eq(status,published)")
/// ```
///
/// ## Decoding
/// The query string is split at every `&` outside parentheses and quotes; each part is then
/// percent-decoded *without* turning `+` into a space (datetimes such as
/// `2024-01-02T10:00:00+00:00` arrive with a raw `+`), except the value of `search=`, which is
/// form-decoded (`+` → space). Structure characters (`(` `)` `,` `&` `=`) count only when written
/// literally, so `eq(name,a%2Cb)` compares with `a,b`; a stray `%` not followed by two hex digits is
/// kept as is.
///
/// ## Parts
/// - `limit=N`, `offset=N`: non-negative integers; `search=text`.
/// - `select(a,-b.c)`: include / exclude dot paths; `ordering(-created,name)` (alias `sort(...)`):
///   `-` = descending. Each may appear once.
/// - Filter terms, and-ed: `eq ne lt le gt ge` `(field,value)`, `like ilike (field,pattern)`,
///   `in out (field,(v1,v2))` (also `in(field,v1,v2)`), `and or (e1,...)` with one or more children,
///   `not(e)`. `eq`/`ne` with `null()` give ``Filter/isNull(_:negated:)`` (null or missing);
///   `empty()` is the empty string ``QueryValue/empty``, never converted to a declared field type, so
///   `eq(f,empty())` matches `""` only and `ne(f,empty())` everything else (missing and null too).
///   `empty()` may also be an element of `in`/`out`; `null()` may not, and neither compares with
///   `lt le gt ge` or is a `like` pattern.
/// - `field=value` (whenever `=` comes before any `(` in a part): `eq(field,value)`; such a part ends
///   at the next literal `&`, parentheses or not.
/// - Empty parts (`a&&b`, a trailing `&`) are ignored, as is a leading `?`.
///
/// Values are written bare (`eq(name,10)`, kept as the untyped literal `10`), or quoted with `"` or
/// `'` (percent-encoded quotes count too; a doubled quote inside is one quote character), which makes
/// them strings and lets them contain `,` `(` `)` `&`. A value is quoted only when its closing quote
/// is followed by `,` or `)`: otherwise the quote is an ordinary character, so the bare values the
/// Connect client sends (`eq(city,'s-Hertogenbosch)`, `eq(name,O'Brien)`) keep working. A bare value may be empty (`eq(f,)` compares
/// with ""). Spaces are skipped only between expressions, never inside field names or values.
public struct RQLParser: Sendable {
    /// How deeply operators may nest: `eq(a,1)` has depth 1, `not(and(eq(a,1)))` depth 3.
    public var maximumDepth: Int
    /// The longest accepted input, in UTF-8 bytes.
    public var maximumLength: Int

    /// Creates a parser with limits on nesting (default 32 levels) and input size (default 16 KiB).
    public init(maximumDepth: Int = 32, maximumLength: Int = 16_384) {
        self.maximumDepth = maximumDepth
        self.maximumLength = maximumLength
    }

    /// Parses a raw URL query string (the part after `?`, still percent-encoded).
    ///
    /// Errors report the character offset in `queryString`.
    public func parse(queryString: String) throws(RQLError) -> RQLRequest {
        let raw = Array(queryString.utf8)
        do throws(RQLError) {
            return try parse(raw)
        } catch {
            throw error.moved(to: raw.characterOffset(ofByte: error.position))
        }
    }

    /// Parses a bare filter expression such as `eq(status,published)`, as used by schema action
    /// preconditions. Several terms joined by `&` (or `field=value` parts) are and-ed.
    ///
    /// Errors report the character offset in `text`.
    public func parseFilter(_ text: String) throws(RQLError) -> Filter {
        let raw = Array(text.utf8)
        do throws(RQLError) {
            try checkLength(raw)
            let units = RQLUnit.decode(raw, 0..<raw.count)
            var terms: [Filter] = []
            for part in Self.split(units) where !part.isEmpty {
                let end = part.upperBound < units.count ? units[part.upperBound].offset : raw.count
                let partUnits = Array(units[part])
                if let equals = Self.keywordEquals(partUnits) {
                    terms.append(try keywordTerm(partUnits, equals: equals, end: end))
                } else {
                    var reader = RQLReader(units: partUnits, end: end, maximumDepth: maximumDepth)
                    terms.append(try reader.readExpression(depth: 1))
                    try reader.expectEnd()
                }
            }
            guard let first = terms.first else {
                throw RQLError(code: .syntax, message: "expected an expression such as eq(field,value)", position: 0)
            }
            return terms.count == 1 ? first : .and(terms)
        } catch {
            throw error.moved(to: raw.characterOffset(ofByte: error.position))
        }
    }

    func checkLength(_ raw: [UInt8]) throws(RQLError) {
        guard raw.count <= maximumLength else {
            throw RQLError(
                code: .tooLong,
                message: "input longer than \(maximumLength) bytes",
                position: maximumLength
            )
        }
    }
}
