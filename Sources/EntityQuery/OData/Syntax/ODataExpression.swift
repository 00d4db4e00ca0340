/// A `$filter`, `$orderby` or `$compute` expression, an alias value or a function argument, as
/// parsed: the OData syntax tree, not yet checked against types (``ODataTranslator`` does that).
///
/// ```swift
/// let filter = try ODataParser(names: names).parseFilter("Price add 2.45 eq 5.00")
/// // .binary(.eq, .binary(.add, Price, 2.45), 5.00)
/// ```
public struct ODataExpression: Sendable, Hashable {
    /// What the expression is.
    public var kind: Kind
    /// 0-based character offset of its first character in the parsed text.
    public var position: Int

    /// Creates an expression node.
    public init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
    }

    /// The node kinds.
    public indirect enum Kind: Sendable, Hashable {
        case literal(ODataLiteral)
        /// A path (possibly empty) from a root: `Supplier/Name`, `$it`, `@alias/Street`, `$root/Set(1)/P`.
        case path(ODataPathRoot, [ODataSegment])
        /// A canonical function (`contains`, `year`, `geo.distance`, …), its name lower-cased
        /// (`matchesPattern` keeps its spelling).
        case call(String, [ODataExpression])
        /// `case(condition:value, …)` (4.01).
        case conditional([ODataCaseBranch])
        case not(ODataExpression)
        /// `-x`.
        case negate(ODataExpression)
        case binary(ODataBinaryOperator, ODataExpression, ODataExpression)
        /// `x has Namespace.Enum'Member'`.
        case has(ODataExpression, ODataLiteral)
        /// `x in (…)`, `x in […]`, `x in @alias`, `x in Path`.
        case `in`(ODataExpression, ODataExpression)
        /// `isof(Type)` (of `$it`) or `isof(x, Type)`.
        case isOf(ODataExpression?, ODataTypeName)
        /// `cast(Type)` (of `$it`) or `cast(x, Type)`.
        case cast(ODataExpression?, ODataTypeName)
        /// `(literal, literal, …)`: the list after `in`.
        case list([ODataExpression])
        /// A JSON array `[…]` (4.01).
        case array([ODataExpression])
        /// A JSON object `{"name": value, …}` (4.01).
        case object([ODataObjectMember])
        /// A JSON string `"…"` inside an array or object.
        case jsonString(String)
    }
}

/// Where a path in an expression starts.
public enum ODataPathRoot: Sendable, Hashable {
    /// A property of the current instance (`Name`, `Supplier/Name`).
    case implicit
    /// `$it`: the instance the resource path identifies.
    case it
    /// `$this`: the instance the (nested) option is evaluated on.
    case this
    /// `$root/…`: resources of the service; the first segment is an entity set, singleton or
    /// function import.
    case root
    /// A parameter alias `@name`, its value given as a query option.
    case alias(String)
    /// A lambda variable (`x` in `any(x: x/Price gt 2)`), or a name the model does not know
    /// (an undeclared or dynamic property: the translator decides).
    case variable(String)
}

/// The binary operators of OData expressions.
public enum ODataBinaryOperator: String, Sendable, Hashable, CaseIterable {
    case and, or, eq, ne, lt, le, gt, ge, add, sub, mul, div, divby, mod

    /// Binding strength: `or` 1, `and` 2, `eq ne` 3, `lt le gt ge` 4, `add sub` 5, `mul div divby mod` 6.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .eq, .ne: return 3
        case .lt, .le, .gt, .ge: return 4
        case .add, .sub: return 5
        case .mul, .div, .divby, .mod: return 6
        }
    }
}

/// One `condition : value` pair of `case(…)`.
public struct ODataCaseBranch: Sendable, Hashable {
    public var condition: ODataExpression
    public var value: ODataExpression

    /// Creates a branch.
    public init(condition: ODataExpression, value: ODataExpression) {
        self.condition = condition
        self.value = value
    }
}

/// One `"name": value` member of a JSON object in an expression.
public struct ODataObjectMember: Sendable, Hashable {
    public var name: String
    public var value: ODataExpression

    /// Creates a member.
    public init(name: String, value: ODataExpression) {
        self.name = name
        self.value = value
    }
}
