import EntityModel

/// An entity, or a fragment of one, read from a request and ready to be stored: names in their
/// stored form (expanded with the request's context, compacted against the core context alone),
/// attributes normalized.
///
/// ```swift
/// let fragment = try NGSILDEntityReader(context: .core).entity(["id": "urn:a", "type": "Room", "temperature": 20])
/// fragment.attributes["temperature"]   // [["type": "Property", "value": 20]]
/// ```
public struct NGSILDEntityFragment: Sendable, Hashable {
    /// The entity id, when the body gave one.
    public var id: String?
    /// The stored entity types (`Building`, `https://example.org/ctx#Car`), without repetition; empty
    /// when the body gave none.
    public var types: [String]
    /// The scopes, when the body gave `scope`; `[NGSILDSyntax.null]` when a merge or update removes it.
    public var scope: [String]?
    /// Stored attribute name → its normalized instances (objects), at most one without `datasetId`.
    /// An instance whose value member is NGSI-LD Null (only in update and merge fragments) deletes.
    public var attributes: [String: [JSON]]

    /// Creates a fragment from its parts.
    public init(id: String? = nil, types: [String] = [], scope: [String]? = nil, attributes: [String: [JSON]] = [:]) {
        self.id = id
        self.types = types
        self.scope = scope
        self.attributes = attributes
    }

    /// `true` when the fragment removes the entity's scope (`"scope": "urn:ngsi-ld:null"`).
    public var removesScope: Bool { scope == [NGSILDSyntax.null] }
}

/// One attribute read from the body of `PATCH` or `PUT /entities/{id}/attrs/{attr}`.
public struct NGSILDAttributeFragment: Sendable, Hashable {
    /// The stored attribute name (from the URL).
    public var name: String
    /// The attribute's expanded IRI, for UpdateResults and error details.
    public var expandedName: String
    /// The normalized instances (one for a partial update). In a partial update an instance may lack
    /// `type` and its value member: only the members given change.
    public var instances: [JSON]

    /// Creates an attribute fragment from its parts.
    public init(name: String, expandedName: String, instances: [JSON]) {
        self.name = name
        self.expandedName = expandedName
        self.instances = instances
    }
}
