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
    /// Top-level actions by name: each names its collection (``ActionSchema/collection``) and acts like
    /// a collection action of it.
    public var actions: [String: ActionSchema]
    /// Top-level functions by name: each names its collection (``FunctionSchema/collection``) and acts
    /// like a collection function of it.
    public var functions: [String: FunctionSchema]

    public init(
        namespaces: [String: NamespaceSchema] = [:],
        collections: [String: CollectionSchema] = [:],
        isOpen: Bool = false,
        actions: [String: ActionSchema] = [:],
        functions: [String: FunctionSchema] = [:]
    ) {
        self.namespaces = namespaces
        self.collections = collections
        self.isOpen = isOpen
        self.actions = actions
        self.functions = functions
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

    /// The path of the collection whose schema key is `key` when it is not nested (`products`,
    /// `devops/services`): what references and top-level operations name. `nil` for unknown keys
    /// and nested collections, whose paths need a parent id.
    public func collectionPath(forKey key: String) -> CollectionPath? {
        let names = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let path: CollectionPath
        switch names.count {
        case 1: path = CollectionPath(names[0])
        case 2 where namespaces[names[0]] != nil: path = CollectionPath(namespace: names[0], segments: [names[1]])
        default: return nil
        }
        return collection(at: path) == nil ? nil : path
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
