import EntityModel

/// A value in a query: either a literal as written in the query text, or an already typed JSON value.
///
/// RQL values are written bare (`eq(price,10)`, `eq(name,10)`): what `10` means depends on the
/// field's declared type. Parsers therefore produce ``literal(_:quoted:)``; ``Filter/typed(by:)``
/// turns literals into ``json(_:)`` using the schema, and ``inferred`` types a literal by its form
/// (number, boolean, otherwise string) for undeclared fields.
public enum QueryValue: Sendable, Hashable, CustomStringConvertible {
    /// Text as written; `quoted` is true when it was written in quotes (then it is always a string).
    case literal(String, quoted: Bool)
    /// A typed value.
    case json(JSON)

    /// RQL's `empty()`: the empty string, already typed, so that no declared field type converts it
    /// (`eq(count,empty())` on an integer field matches nothing rather than failing).
    public static let empty = QueryValue.json(.string(""))

    /// The typed value, inferring the type of an unquoted literal from its form:
    /// `true`/`false` → boolean, JSON number syntax → number, anything else → string.
    public var inferred: JSON {
        switch self {
        case .json(let value): return value
        case .literal(let text, quoted: true): return .string(text)
        case .literal(let text, quoted: false):
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            // JSONNumber's grammar check rejects what the JSON parser would tolerate (" 1", "1 ").
            if JSONNumber(text) != nil, let number = try? JSON(parsing: text), number.isNumber {
                return number
            }
            return .string(text)
        }
    }

    public var description: String {
        switch self {
        case .literal(let text, _): return text
        case .json(let value): return value.description
        }
    }
}
