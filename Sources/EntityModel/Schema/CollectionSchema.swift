/// The declaration of one collection.
public struct CollectionSchema: Sendable, Hashable {
    /// Prefix of generated ids, e.g. `PRD`.
    public var idPrefix: String?
    /// Pattern of generated ids after the prefix: `#` is a random digit, other characters are kept
    /// (`###-###-###` → `PRD-123-456-789`). Without a pattern, ids are sortable unique ids.
    public var idPattern: String?
    /// Declared fields by name.
    public var fields: [String: FieldSchema]
    /// Whether fields that are not declared are rejected.
    public var isStrict: Bool
    /// Field paths (dot-separated) that get a database index.
    public var indexes: [String]
    /// Field paths searched by the full-text `search` parameter.
    public var searchFields: [String]
    /// Declarative actions by name.
    public var actions: [String: ActionSchema]
    /// Declarative read-only functions by name.
    public var functions: [String: FunctionSchema]
    /// Collections nested under each entity of this one.
    public var collections: [String: CollectionSchema]
    /// Who may read, create and write by default (`private`, created by signed-in users, written by
    /// their creators, unless declared).
    public var access: CollectionAccess
    /// Which ids the entities have (``IDKind/urlSafe`` unless declared as `"ids": "uri"`).
    public var ids: IDKind
    /// Whether the top-level query paths `created`, `updated` and `version` mean the entity's
    /// metadata (`_meta.…`) when no such field is declared. True, except in the NGSI-LD collection,
    /// whose attributes may have any name (there `_meta.created` is written out).
    public var aliasesMetadata = true
    /// Whether OData writes must name the version they change (`If-Match`, else 428): `"requireETag":
    /// true`. Off by default, as python-odata sends no `If-Match`.
    public var requiresETag = false

    public init(
        idPrefix: String? = nil,
        idPattern: String? = nil,
        fields: [String: FieldSchema] = [:],
        isStrict: Bool = false,
        indexes: [String] = [],
        searchFields: [String] = [],
        actions: [String: ActionSchema] = [:],
        functions: [String: FunctionSchema] = [:],
        collections: [String: CollectionSchema] = [:],
        access: CollectionAccess = .init(),
        ids: IDKind = .urlSafe
    ) {
        self.idPrefix = idPrefix
        self.idPattern = idPattern
        self.fields = fields
        self.isStrict = isStrict
        self.indexes = indexes
        self.searchFields = searchFields
        self.actions = actions
        self.functions = functions
        self.collections = collections
        self.access = access
        self.ids = ids
    }

    /// The declared type of the field at a dot path (`address.city` looks into `object` fields'
    /// declared subfields when present), or `nil` when undeclared.
    public func fieldType(at path: [String]) -> FieldType? {
        guard let first = path.first, let field = fields[first] else { return nil }
        var current = field
        for name in path.dropFirst() {
            guard let next = current.fields[name] else { return nil }
            current = next
        }
        return current.type
    }

    /// The top-level fields of type `reference`, by name.
    public var references: [(name: String, reference: ReferenceSchema)] {
        fields.sorted { $0.key < $1.key }.compactMap { name, field in field.reference.map { (name, $0) } }
    }

    /// The field paths that get a database index: the declared ``indexes`` and every reference field
    /// (so finding the entities that reference one, on delete or through an inverse navigation, is fast).
    public var indexedFields: [String] {
        var paths = indexes
        for (name, _) in references where !paths.contains(name) { paths.append(name) }
        return paths
    }
}
