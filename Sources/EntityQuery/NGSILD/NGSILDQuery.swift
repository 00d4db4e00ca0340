/// A parsed NGSI-LD `q` parameter (the query language of clause 4.9).
///
/// Produced by ``NGSILDQueryParser/parseQuery(_:)``. Attribute names are kept as written:
/// expanding them with the request's `@context` is the caller's job.
///
/// ```swift
/// let query = try NGSILDQueryParser().parseQuery(#"name=="Pisa Tower"|almostFull==false"#)
/// query.terms.map(\.attribute.name)   // ["name", "almostFull"]
/// ```
public typealias NGSILDQuery = NGSILDExpression<NGSILDQueryTerm>

/// One term of an NGSI-LD `q`: an attribute path and what it must satisfy.
///
/// ```swift
/// // airQualityLevel>=4
/// NGSILDQueryTerm(
///     attribute: NGSILDAttributePath(name: "airQualityLevel"),
///     predicate: .compare(.greaterOrEqual, .number(JSONNumber("4")!))
/// )
/// ```
public struct NGSILDQueryTerm: Sendable, Hashable, CustomStringConvertible {
    /// The attribute (or member, sub-attribute, JSON path, linked entity path) the term reads.
    public var attribute: NGSILDAttributePath
    /// What the value must satisfy; ``NGSILDQueryPredicate/exists`` for a bare attribute (`q=temperature`).
    public var predicate: NGSILDQueryPredicate

    /// Creates a term.
    public init(attribute: NGSILDAttributePath, predicate: NGSILDQueryPredicate) {
        self.attribute = attribute
        self.predicate = predicate
    }

    /// The term written back in `q` syntax.
    public var description: String { attribute.description + predicate.description }
}

/// What a term's attribute must satisfy.
///
/// The grammar restricts the operands: `true`/`false` and URIs follow only `==` and `!=`, lists
/// and ranges too; ``compare(_:_:)`` with `>`, `>=`, `<`, `<=` always holds a number, string,
/// date-time, date or time.
public enum NGSILDQueryPredicate: Sendable, Hashable, CustomStringConvertible {
    /// `temperature`: the attribute exists.
    case exists
    /// `temperature>20`, `name=="Eiffel Tower"`, `locatedIn==urn:ngsi-ld:City:Pisa`, `almostFull==false`.
    case compare(NGSILDComparisonOperator, NGSILDQueryValue)
    /// `level==1,3,5` (any of the values), or with `negated` `level!=1,3,5` (none of them).
    case anyOf([NGSILDQueryValue], negated: Bool)
    /// `level==5..9` (between the bounds, both included), or with `negated` `level!=5..9`.
    case inRange(NGSILDQueryValue, NGSILDQueryValue, negated: Bool)
    /// `name~="^Eiffel"` (the pattern matches), or with `negated` `name!~="^Eiffel"`.
    case matches(NGSILDPattern, negated: Bool)

    /// The operator and operand written back in `q` syntax (empty for ``exists``).
    public var description: String {
        switch self {
        case .exists:
            return ""
        case .compare(let op, let value):
            return op.rawValue + value.description
        case .anyOf(let values, let negated):
            return (negated ? "!=" : "==") + values.map(\.description).joined(separator: ",")
        case .inRange(let lower, let upper, let negated):
            return (negated ? "!=" : "==") + lower.description + ".." + upper.description
        case .matches(let pattern, let negated):
            return (negated ? "!~=" : "~=") + NGSILDQueryValue.string(pattern.text).description
        }
    }
}

/// The comparison operators of `q`.
///
/// The raw value is the operator as written.
public enum NGSILDComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// `==`
    case equal = "=="
    /// `!=`
    case unequal = "!="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
}
