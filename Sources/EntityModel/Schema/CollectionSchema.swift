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

    public init(
        idPrefix: String? = nil,
        idPattern: String? = nil,
        fields: [String: FieldSchema] = [:],
        isStrict: Bool = false,
        indexes: [String] = [],
        searchFields: [String] = [],
        actions: [String: ActionSchema] = [:],
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
}

/// The declaration of one field.
public struct FieldSchema: Sendable, Hashable {
    public var type: FieldType
    public var isRequired: Bool
    /// Declared subfields of an `object` field.
    public var fields: [String: FieldSchema]

    public init(type: FieldType, isRequired: Bool = false, fields: [String: FieldSchema] = [:]) {
        self.type = type
        self.isRequired = isRequired
        self.fields = fields
    }
}

/// A declarative action: a precondition in RQL and the fields it sets.
public struct ActionSchema: Sendable, Hashable {
    /// What an action applies to.
    public enum Scope: String, Sendable, Hashable {
        /// One entity: `products/PRD-1/endsale`.
        case resource
        /// Every entity of the collection that matches `when` (and the request's filter): `products/endall`.
        case collection
    }

    /// RQL that the entity must match for the action to run, e.g. `eq(status,published)`.
    public var when: String?
    /// Fields set by the action.
    public var set: [String: JSON]
    public var scope: Scope

    public init(when: String? = nil, set: [String: JSON] = [:], scope: Scope = .resource) {
        self.when = when
        self.set = set
        self.scope = scope
    }
}
