/// What collections exist, and for each its fields, id format, indexes, search fields and actions.
///
/// A schema is loaded from a file (see ``Schema/init(json:)``). Without one (``Schema/open``) any
/// top-level collection name is accepted and created on first write.
public struct Schema: Sendable, Hashable {
    /// Namespaces by name; each groups collections (`devops` → `services`).
    public var namespaces: [String: NamespaceSchema]
    /// Top-level collections outside any namespace.
    public var collections: [String: CollectionSchema]
    /// Whether undeclared top-level collections are accepted (true only for the open schema).
    public var isOpen: Bool

    public init(
        namespaces: [String: NamespaceSchema] = [:],
        collections: [String: CollectionSchema] = [:],
        isOpen: Bool = false
    ) {
        self.namespaces = namespaces
        self.collections = collections
        self.isOpen = isOpen
    }

    /// The schema used without a schema file: every top-level collection exists, no field rules.
    public static let open = Schema(isOpen: true)

    /// The declaration of the collection at `path`, or `nil` when it is not declared
    /// (for the open schema: a default declaration for any top-level collection).
    public func collection(at path: CollectionPath) -> CollectionSchema? {
        let names = path.schemaKey.split(separator: "/").map(String.init)
        var current: CollectionSchema?
        var remaining = names[...]
        if let namespace = path.namespace {
            guard let declared = namespaces[namespace] else { return nil }
            remaining = remaining.dropFirst()
            guard let first = remaining.first, let top = declared.collections[first] else { return nil }
            current = top
        } else {
            guard let first = remaining.first else { return nil }
            current = collections[first] ?? (isOpen && remaining.count == 1 ? CollectionSchema() : nil)
        }
        for name in remaining.dropFirst() {
            current = current?.collections[name]
        }
        return current
    }

    /// Every declared collection with its schema key, for index creation and documentation.
    public var allCollections: [(key: String, schema: CollectionSchema)] {
        var result: [(String, CollectionSchema)] = []
        func visit(_ prefix: String, _ collections: [String: CollectionSchema]) {
            for (name, schema) in collections.sorted(by: { $0.key < $1.key }) {
                let key = prefix.isEmpty ? name : "\(prefix)/\(name)"
                result.append((key, schema))
                visit(key, schema.collections)
            }
        }
        visit("", collections)
        for (name, namespace) in namespaces.sorted(by: { $0.key < $1.key }) {
            visit(name, namespace.collections)
        }
        return result
    }
}

/// A namespace: a named group of collections.
public struct NamespaceSchema: Sendable, Hashable {
    public var collections: [String: CollectionSchema]

    public init(collections: [String: CollectionSchema] = [:]) {
        self.collections = collections
    }
}
