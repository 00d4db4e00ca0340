import EntityModel

/// The OData entity data model of an EntityHub schema: one entity set and entity type per top-level
/// collection, contained entity types for nested ones, complex types for declared objects, navigation
/// properties for references, and the schema's actions and functions as operations.
///
/// Names follow the collection's schema key: `devops/services` is the set and type
/// `devops_services`, and `-` becomes `_` (two names that then clash are a ``SchemaError``).
/// Built once per schema; the adapter renders `$metadata` from it and resolves URLs against it.
public struct ODataModel: Sendable, Hashable {
    /// The namespace of every type and operation.
    public static let namespace = "EntityHub"

    /// Entity and complex types by name.
    public private(set) var types: [String: ODataStructuredType] = [:]
    /// Entity set name → the collection it serves (top-level collections only).
    public private(set) var entitySets: [String: CollectionPath] = [:]
    /// Every operation, bound and unbound.
    public private(set) var operations: [ODataOperation] = []
    /// Whether any top-level collection name is an entity set (the open schema): undeclared sets
    /// resolve to an open type with only `id`, `created` and `updated`.
    public let acceptsUndeclaredSets: Bool

    /// The model of `schema`; fails when two names map to the same OData name.
    public init(schema: Schema) throws(SchemaError) {
        acceptsUndeclaredSets = schema.isOpen
        var builder = ODataModelBuilder(schema: schema)
        try builder.build()
        types = builder.types
        entitySets = builder.entitySets
        operations = builder.operations
    }

    /// The entity type behind entity set `name`, declared or (for the open schema) implicit.
    public func entitySet(named name: String) -> (collection: CollectionPath, type: ODataStructuredType)? {
        if let collection = entitySets[name], let type = types[name] { return (collection, type) }
        guard acceptsUndeclaredSets, ODataNames.isIdentifier(name) else { return nil }
        return (CollectionPath(name), ODataModelBuilder.implicitType(named: name))
    }

    /// The structured type called `name`.
    public func type(named name: String) -> ODataStructuredType? { types[name] }

    /// The operations called `name` with the given binding.
    public func operations(named name: String, binding: ODataOperation.Binding) -> [ODataOperation] {
        operations.filter { $0.name == name && $0.binding == binding }
    }

    /// Entity set names in a stable order (for the service document and `$metadata`).
    public var entitySetNames: [String] { entitySets.keys.sorted() }
}

/// How EntityHub names become OData identifiers.
public enum ODataNames {
    /// The identifier for a schema key or field name: `/` and `-` become `_`, and a name that does
    /// not start with a letter or `_` gets a leading `_`.
    public static func identifier(_ name: String) -> String {
        var result = String(name.map { $0 == "/" || $0 == "-" ? "_" : $0 })
        if let first = result.unicodeScalars.first, !(first.properties.isAlphabetic || first == "_") {
            result = "_" + result
        }
        return result
    }

    /// Whether `text` is an OData simple identifier (letters, digits, `_`; not starting with a digit).
    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
            return false
        }
        return text.unicodeScalars.count <= 128
            && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
    }
}
