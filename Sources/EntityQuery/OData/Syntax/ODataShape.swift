/// What a path segment, property or function yields: the shapes the OData URL grammar tells apart.
public enum ODataShape: String, Sendable, Hashable, CaseIterable {
    case entity, entityCollection, complex, complexCollection, primitive, primitiveCollection, stream

    /// Whether the shape is a collection (of entities, complex or primitive values).
    public var isCollection: Bool {
        switch self {
        case .entityCollection, .complexCollection, .primitiveCollection: return true
        case .entity, .complex, .primitive, .stream: return false
        }
    }
}

/// A name with an optional namespace (or alias) in front: `Model.Customer`, `Edm.String`, `Customer`.
public struct ODataQualifiedName: Sendable, Hashable, CustomStringConvertible {
    /// The namespace or alias, dots included (`Org.OData.Core.V1`); `nil` when unqualified.
    public var namespace: String?
    /// The name after the last dot.
    public var name: String

    /// Creates a name; `namespace` `nil` for an unqualified one.
    public init(namespace: String? = nil, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// `Namespace.Name`, or `Name`.
    public var description: String { namespace.map { "\($0).\(name)" } ?? name }
}

/// A type name in `cast`, `isof` or a type cast segment: `Edm.Int32`, `Model.Customer`,
/// `Collection(Edm.String)`.
public struct ODataTypeName: Sendable, Hashable, CustomStringConvertible {
    /// The element type (`Edm.String` in `Collection(Edm.String)`).
    public var name: ODataQualifiedName
    /// Whether it was written `Collection(…)`.
    public var isCollection: Bool

    /// Creates a type name.
    public init(_ name: ODataQualifiedName, isCollection: Bool = false) {
        self.name = name
        self.isCollection = isCollection
    }

    /// As written: `Collection(Edm.String)` or `Edm.String`.
    public var description: String { isCollection ? "Collection(\(name))" : name.description }
}

/// An annotation in a query: `@Measures.Currency`, `@Core.Messages`, `@Currency#Reporting`.
public struct ODataAnnotationName: Sendable, Hashable, CustomStringConvertible {
    /// The term, qualified or not.
    public var term: ODataQualifiedName
    /// The qualifier after `#` (written `%23`), if any.
    public var qualifier: String?

    /// Creates an annotation name.
    public init(term: ODataQualifiedName, qualifier: String? = nil) {
        self.term = term
        self.qualifier = qualifier
    }

    /// `@Term#Qualifier` as written (with a plain `#`).
    public var description: String { "@\(term)" + (qualifier.map { "#\($0)" } ?? "") }
}
