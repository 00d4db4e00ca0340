/// One step of a resource path (`Categories(1)/Products/$count`) or of a path in an expression
/// (`Supplier/Addresses/any(a:a/City eq 'Bonn')`).
public indirect enum ODataSegment: Sendable, Hashable {
    case entitySet(String)
    case singleton(String)
    /// A structural property and its shape (primitive, complex, their collections, stream).
    case property(String, ODataShape)
    /// A navigation property.
    case navigation(String, isCollection: Bool)
    /// `@Namespace.Term`: an annotation value.
    case annotation(ODataAnnotationName)
    /// `(1)`, `(ID=1,Size=5)`, `(@k)` or key-as-segment `/1`.
    case key(ODataKey)
    /// A type cast: `/Model.VipCustomer`, `/Model.AddressWithLocation`.
    case cast(ODataQualifiedName)
    /// A bound function or function import, with or without parameters.
    case function(ODataFunctionCall)
    /// A bound action or action import.
    case action(ODataQualifiedName, isImport: Bool)
    /// `/$filter(…)`: the members of a collection that satisfy the expression.
    case filter(ODataExpression)
    /// `/$count`, in expressions optionally with `($filter=…;$search=…)`.
    case count([ODataQueryOption])
    /// `/any(x: …)` or `/all(x: …)`.
    case lambda(ODataLambda)
    /// `/$each`, `/$ref`, `/$value`, `/$query`.
    case each, ref, value, query
    /// `/3`, `/-1`: a position in an ordered collection.
    case ordinal(Int)
    /// `$all` (all entities of the service).
    case allEntities
    /// `$crossjoin(A,B)`.
    case crossjoin([String])
}

/// A key predicate: one value (`(1)`), named values (`(OrderID=1,ItemID='a')`) or path segments
/// (`/1`, `/2001/1`).
public struct ODataKey: Sendable, Hashable {
    /// The key values in order; ``ODataKeyValue/name`` is `nil` for `(1)` and key segments.
    public var values: [ODataKeyValue]
    /// Whether the key was written as path segments (`Customers/1`).
    public var isSegment: Bool

    /// Creates a key.
    public init(values: [ODataKeyValue], isSegment: Bool = false) {
        self.values = values
        self.isSegment = isSegment
    }
}

/// One value of a key predicate.
public struct ODataKeyValue: Sendable, Hashable {
    /// The key property (or alias) named in `(Name=value)`; `nil` when unnamed.
    public var name: String?
    public var value: Value
    /// 0-based character offset of the value.
    public var position: Int

    /// Creates a key value.
    public init(name: String?, value: Value, position: Int) {
        self.name = name
        self.value = value
        self.position = position
    }

    /// A literal, a parameter alias (`@k`) or the decoded text of a key segment (typed by the
    /// key property, which only the EDM knows).
    public enum Value: Sendable, Hashable {
        case literal(ODataLiteral)
        case alias(String)
        case segment(String)
    }
}

/// A function call segment: `Model.ProductsByColor(color='red')`, `TheBestProduct`.
public struct ODataFunctionCall: Sendable, Hashable {
    public var name: ODataQualifiedName
    /// The parameters in order; `nil` when written without parentheses.
    public var parameters: [ODataParameter]?
    /// What the function returns.
    public var returns: ODataShape
    /// Whether it is a function import (called at the service root), not a bound function.
    public var isImport: Bool

    /// Creates a call.
    public init(name: ODataQualifiedName, parameters: [ODataParameter]?, returns: ODataShape, isImport: Bool) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.isImport = isImport
    }
}

/// `name=value` in a function call; a parameter alias is a ``ODataPathRoot/alias(_:)`` path.
public struct ODataParameter: Sendable, Hashable {
    public var name: String
    public var value: ODataExpression

    /// Creates a parameter.
    public init(name: String, value: ODataExpression) {
        self.name = name
        self.value = value
    }
}

/// `any(x: predicate)`, `any()` or `all(x: predicate)`.
public struct ODataLambda: Sendable, Hashable {
    /// `any` or `all`.
    public var isAll: Bool
    /// The variable and predicate; `nil` for `any()` (the collection is not empty).
    public var variable: String?
    public var predicate: ODataExpression?

    /// Creates a lambda.
    public init(isAll: Bool, variable: String?, predicate: ODataExpression?) {
        self.isAll = isAll
        self.variable = variable
        self.predicate = predicate
    }
}
