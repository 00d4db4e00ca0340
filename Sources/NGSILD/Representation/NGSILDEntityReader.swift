import EntityModel

/// Reads NGSI-LD request bodies into their stored form: validated per clauses 4.5–4.8 and 5.5.4,
/// concise attributes normalized (§3.3), names expanded with the request's context and compacted
/// against the core context alone.
///
/// A top-level `@context` member is ignored: the adapter resolves it into ``context`` first.
///
/// ```swift
/// let reader = NGSILDEntityReader(context: requestContext)
/// let created = try reader.entity(body)                               // POST /entities
/// let patch = try reader.fragment(body, allowingNull: true)           // PATCH /entities/{id}
/// let attribute = try reader.attributeFragment(body, name: "speed", partial: true)   // PATCH …/attrs/speed
/// ```
///
/// Every error has code ``NGSILDError/Code/badRequestData`` and names the member
/// (`temperature: a Property needs a value`).
public struct NGSILDEntityReader: Sendable {
    /// The request's active context.
    public let context: ActiveContext
    /// The names mapped so far: a reader used for many entities maps each name once.
    let memo = NGSILDNameMemo()

    /// Creates a reader for a request whose active context is `context`; reuse it for every entity
    /// with that context (a batch), so that each name is mapped once.
    public init(context: ActiveContext) {
        self.context = context
    }

    /// Reads a whole entity (create, batch create, upsert): `id` and `type` are required, NGSI-LD Null
    /// is refused.
    public func entity(_ json: JSON) throws(NGSILDError) -> NGSILDEntityFragment {
        try read(json, requiresIdAndType: true, mode: .init(allowsNull: false, partial: false))
    }

    /// Reads an entity fragment (append, update, merge, replace): `id` and `type` are optional.
    /// NGSI-LD Null is kept as a deletion marker when `allowingNull` (update and merge), refused
    /// otherwise.
    public func fragment(_ json: JSON, allowingNull: Bool) throws(NGSILDError) -> NGSILDEntityFragment {
        try read(json, requiresIdAndType: false, mode: .init(allowsNull: allowingNull, partial: false))
    }

    /// Reads the body of `PATCH /entities/{id}/attrs/{name}` (`partial`: members may be missing,
    /// NGSI-LD Null allowed) or `PUT /entities/{id}/attrs/{name}` (a whole attribute, no Null).
    public func attributeFragment(_ json: JSON, name: String, partial: Bool) throws(NGSILDError)
        -> NGSILDAttributeFragment
    {
        let key = try attributeKey(name, path: name)
        var json = json
        if case .object(var members) = json {
            members["@context"] = nil
            json = .object(members)
        }
        if partial, case .object(let members) = json,
            members.keys.allSatisfy({ $0 == "datasetId" || Self.systemMembers.contains($0) })
        {
            throw Self.bad("\(name): the attribute fragment is empty")
        }
        let instances = try attributeInstances(json, path: name, mode: .init(allowsNull: partial, partial: partial))
        return NGSILDAttributeFragment(name: key.stored, expandedName: key.expanded, instances: instances)
    }

    /// The stored name of an attribute named in a URL or parameter (`speed` → `speed`,
    /// `ex:speed` → `https://example.org/ctx#speed`). `scope` stays `scope`, for Delete Attribute.
    public func storedAttributeName(_ name: String) throws(NGSILDError) -> String {
        if name == "scope" { return name }
        return try attributeKey(name, path: name).stored
    }

    /// The stored name of an entity type named in a request (`Building`, `ex:Car`).
    public func storedTypeName(_ name: String) throws(NGSILDError) -> String {
        try typeValue(name, path: "type")
    }

    /// What a read accepts.
    struct Mode {
        /// NGSI-LD Null is kept rather than refused.
        var allowsNull: Bool
        /// An attribute fragment of a partial update: no type or value member required, no concise
        /// rule 7.
        var partial: Bool
    }

    /// Members of entities and attributes the system sets; ignored on input.
    static let systemMembers: Set<String> = ["createdAt", "modifiedAt", "deletedAt", "instanceId"]

    private func read(_ json: JSON, requiresIdAndType: Bool, mode: Mode) throws(NGSILDError) -> NGSILDEntityFragment {
        guard case .object(var members) = json else {
            throw Self.bad("an entity must be a JSON object, found \(json.typeName)")
        }
        members["@context"] = nil
        for (keyword, name) in [("@id", "id"), ("@type", "type")] {
            guard let value = members.removeValue(forKey: keyword) else { continue }
            guard members[name] == nil else { throw Self.bad("\(name): given both as \(keyword) and as \(name)") }
            members[name] = value
        }
        var fragment = NGSILDEntityFragment()
        if let id = members.removeValue(forKey: "id") {
            guard case .string(let text) = id, NGSILDSyntax.isEntityId(text) else {
                throw Self.bad("id: not an absolute IRI (\(id))")
            }
            fragment.id = text
        } else if requiresIdAndType {
            throw Self.bad("id: an entity needs an id")
        }
        if let type = members.removeValue(forKey: "type") {
            fragment.types = try entityTypes(type)
        } else if requiresIdAndType {
            throw Self.bad("type: an entity needs a type")
        }
        if let scope = members.removeValue(forKey: "scope") {
            fragment.scope = try scopes(scope, allowsNull: mode.allowsNull)
        }
        for name in Self.systemMembers { members[name] = nil }
        for (name, value) in members {
            let key = try attributeKey(name, path: name)
            guard fragment.attributes[key.stored] == nil else {
                throw Self.bad("\(name): another member also stands for \(key.expanded)")
            }
            fragment.attributes[key.stored] = try attributeInstances(value, path: name, mode: mode)
        }
        return fragment
    }

    /// `type`: a name or a non-empty array of names, each stored like a type.
    private func entityTypes(_ value: JSON) throws(NGSILDError) -> [String] {
        let names: [JSON]
        switch value {
        case .string: names = [value]
        case .array(let elements) where !elements.isEmpty: names = elements
        default: throw Self.bad("type: must be a name or a non-empty array of names, found \(value.typeName)")
        }
        var types: [String] = []
        for name in names {
            guard case .string(let text) = name else { throw Self.bad("type: \(name) is not a name") }
            let stored = try typeValue(text, path: "type")
            if !types.contains(stored) { types.append(stored) }
        }
        return types
    }

    /// `scope`: a scope or a non-empty array of scopes (4.18); NGSI-LD Null when allowed.
    private func scopes(_ value: JSON, allowsNull: Bool) throws(NGSILDError) -> [String] {
        let elements: [JSON]
        switch value {
        case .string: elements = [value]
        case .array(let array) where !array.isEmpty: elements = array
        default: throw Self.bad("scope: must be a scope or a non-empty array of scopes, found \(value.typeName)")
        }
        if allowsNull, elements == [.string(NGSILDSyntax.null)] { return [NGSILDSyntax.null] }
        var scopes: [String] = []
        for element in elements {
            guard case .string(let text) = element, NGSILDSyntax.isScope(text) else {
                throw Self.bad("scope: \(element) is not a scope such as /Madrid/Gardens")
            }
            if !scopes.contains(text) { scopes.append(text) }
        }
        return scopes
    }

    static func bad(_ message: String) -> NGSILDError { NGSILDError(.badRequestData, message) }
}
