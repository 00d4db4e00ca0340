/// A filter in RQL, built with ``R`` and the operators `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||` and `!`.
///
/// ```swift
/// let filter = R.status == "published" && R["price"] > 10 && R.tags.in(["a", "b"])
/// filter.rql   // and(eq(status,'published'),gt(price,10),in(tags,('a','b')))
/// ```
///
/// Strings are always sent as quoted RQL strings, so `"10"` stays a string and commas or parentheses in a
/// value never change the query.
public struct RQLFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter as RQL text, ready for a query string.
    public let rql: String

    /// A filter from RQL text, sent as written (for example `eq(status,published)`).
    ///
    /// As in a filter string (`products.filter("eq(name,a b)")`), characters that cannot appear in a URL
    /// (spaces, `%`, `#`, `+`, non-ASCII) are percent-encoded, so `RQLFilter(rql: "eq(name,a b)")` finds the
    /// name `a b` and can be combined with typed filters.
    public init(rql: String) {
        self.rql = PercentEncoding.rqlText(rql)
    }

    /// A filter from RQL text already encoded for a query string.
    init(encoded: String) {
        self.rql = encoded
    }

    public var description: String { rql }

    /// Both filters must match.
    public static func && (lhs: RQLFilter, rhs: RQLFilter) -> RQLFilter {
        RQLFilter(encoded: "and(\(lhs.operands(of: "and")),\(rhs.operands(of: "and")))")
    }

    /// At least one filter must match.
    public static func || (lhs: RQLFilter, rhs: RQLFilter) -> RQLFilter {
        RQLFilter(encoded: "or(\(lhs.operands(of: "or")),\(rhs.operands(of: "or")))")
    }

    /// The filter must not match.
    public static prefix func ! (filter: RQLFilter) -> RQLFilter {
        RQLFilter(encoded: "not(\(filter.rql))")
    }

    /// Every one of `filters` must match (an empty list matches everything).
    public static func all(_ filters: [RQLFilter]) -> RQLFilter? {
        guard var combined = filters.first else { return nil }
        for filter in filters.dropFirst() { combined = combined && filter }
        return combined
    }

    /// This filter's operands when it is an `operation(...)` call, so chains of `&&` stay one flat `and`.
    private func operands(of operation: String) -> String {
        let prefix = operation + "("
        guard rql.hasPrefix(prefix), rql.hasSuffix(")"), closesAtEnd(from: prefix.count) else { return rql }
        return String(rql.dropFirst(prefix.count).dropLast())
    }

    /// Whether the parenthesis opened before `start` closes at the very end of the text (ignoring quoted text).
    private func closesAtEnd(from start: Int) -> Bool {
        var depth = 1
        var quote: Character?
        let characters = Array(rql)
        for index in start..<characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index == characters.count - 1 }
            default: break
            }
        }
        return false
    }
}
