/// One query option as written, e.g. `$filter=…`, `@p=…`, `find=x`, in the order of the URL.
/// ``ODataQueryOptions`` gathers a list of them, rejecting repeated system options.
public struct ODataQueryOption: Sendable, Hashable {
    public var value: Value
    /// 0-based character offset of the option's name.
    public var position: Int

    /// Creates an option.
    public init(_ value: Value, at position: Int) {
        self.value = value
        self.position = position
    }

    /// The options of the grammar (names are case-insensitive, `$` optional, `%24` allowed).
    public enum Value: Sendable, Hashable {
        case filter(ODataExpression)
        case orderby([ODataOrderItem])
        case select([ODataSelectItem])
        case expand([ODataExpandItem])
        case search(ODataSearchExpression)
        case compute([ODataComputeItem])
        /// `$apply`, kept as written (aggregation is not supported).
        case apply(String)
        case top(Int)
        case skip(Int)
        /// `$count=true|false`.
        case count(Bool)
        case index(Int)
        /// `$levels=N` or `max` (`nil`), inside `$expand` options.
        case levels(Int?)
        case skiptoken(String)
        case deltatoken(String)
        /// `$format=json`, `xml`, `atom` or a media type, as written.
        case format(String)
        case schemaversion(String)
        /// `$id=…` (`$entity` and `$ref` requests), decoded.
        case id(String)
        /// `@name=value`: a parameter alias.
        case alias(String, ODataExpression)
        /// `name=value` where `name` is a function parameter.
        case parameter(String, ODataExpression)
        /// Any other option (no `$` or `@`), value decoded; `nil` without `=`.
        case custom(String, String?)
    }

    /// The canonical name: `$filter`, `@p`, `name`.
    public var name: String {
        switch value {
        case .filter: return "$filter"
        case .orderby: return "$orderby"
        case .select: return "$select"
        case .expand: return "$expand"
        case .search: return "$search"
        case .compute: return "$compute"
        case .apply: return "$apply"
        case .top: return "$top"
        case .skip: return "$skip"
        case .count: return "$count"
        case .index: return "$index"
        case .levels: return "$levels"
        case .skiptoken: return "$skiptoken"
        case .deltatoken: return "$deltatoken"
        case .format: return "$format"
        case .schemaversion: return "$schemaversion"
        case .id: return "$id"
        case .alias(let name, _): return "@\(name)"
        case .parameter(let name, _), .custom(let name, _): return name
        }
    }
}

/// One key of `$orderby`: an expression, ascending unless `desc`.
public struct ODataOrderItem: Sendable, Hashable {
    public var expression: ODataExpression
    public var descending: Bool

    /// Creates an order item.
    public init(_ expression: ODataExpression, descending: Bool = false) {
        self.expression = expression
        self.descending = descending
    }
}

/// `expression as Name` in `$compute`.
public struct ODataComputeItem: Sendable, Hashable {
    public var expression: ODataExpression
    public var alias: String

    /// Creates a compute item.
    public init(_ expression: ODataExpression, as alias: String) {
        self.expression = expression
        self.alias = alias
    }
}

/// A `$search` expression: terms, phrases, `NOT`, `AND` (also implicit between terms), `OR`.
public indirect enum ODataSearchExpression: Sendable, Hashable {
    /// A word, percent-decoded.
    case term(String)
    /// A `"quoted phrase"`, without the quotes.
    case phrase(String)
    case not(ODataSearchExpression)
    case and(ODataSearchExpression, ODataSearchExpression)
    case or(ODataSearchExpression, ODataSearchExpression)
}
