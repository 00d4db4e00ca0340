/// One item of `$select`: `*`, `Model.*`, a property path with optional nested options, or an
/// operation.
public struct ODataSelectItem: Sendable, Hashable {
    public var kind: Kind
    /// Nested options of `Prop(…)` (4.01): `$filter`, `$orderby`, `$select`, … .
    public var options: [ODataQueryOption]
    /// 0-based character offset of the item.
    public var position: Int

    /// Creates a select item.
    public init(_ kind: Kind, options: [ODataQueryOption] = [], at position: Int) {
        self.kind = kind
        self.options = options
        self.position = position
    }

    /// The kinds of select items.
    public enum Kind: Sendable, Hashable {
        /// `*`: all structural properties.
        case all
        /// `Namespace.*`: all operations of a schema.
        case allOperations(namespace: String)
        /// `Address/Street`, `Model.VipCustomer/Name`, `@Core.Messages`: property, cast and
        /// annotation segments.
        case path([ODataSegment])
        /// An action or function (`Model.MostPopularName(Location,Kind)`), after optional casts.
        case operation(casts: [ODataQualifiedName], name: ODataQualifiedName, parameterNames: [String]?)
    }
}

/// One item of `$expand`.
public struct ODataExpandItem: Sendable, Hashable {
    public var target: Target
    /// The path ends in `/$ref` (entity references only).
    public var isRef: Bool
    /// The path ends in `/$count` (the number of related entities only).
    public var isCount: Bool
    /// `(…)` options: `$filter`, `$select`, `$expand`, `$levels`, `$top`, … .
    public var options: [ODataQueryOption]
    /// 0-based character offset of the item.
    public var position: Int

    /// Creates an expand item.
    public init(
        _ target: Target,
        isRef: Bool = false,
        isCount: Bool = false,
        options: [ODataQueryOption] = [],
        at position: Int
    ) {
        self.target = target
        self.isRef = isRef
        self.isCount = isCount
        self.options = options
        self.position = position
    }

    /// What is expanded.
    public enum Target: Sendable, Hashable {
        /// `$value`: the media stream.
        case value
        /// `*`, after the given complex properties and casts (`Address/*`).
        case all([ODataSegment])
        /// Casts and complex properties, then a navigation property, annotation or stream.
        case path([ODataSegment])
    }
}
