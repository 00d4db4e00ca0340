import EntityModel

extension ActiveContext {
    /// Expands the names of an NGSI-LD entity (normalized form, or concise with explicit members):
    /// entity types, attribute and sub-attribute names and `vocab`/`objectType` values become IRIs;
    /// values stay as they are. `@id` and `@type` are accepted for `id` and `type`, and `@context` is
    /// dropped (an expanded entity needs none).
    ///
    /// ```swift
    /// let stored = try context.expandEntity([
    ///     "@context": "https://example.org/ctx.jsonld", "id": "urn:ngsi-ld:Building:1", "type": "Building",
    ///     "name": ["type": "Property", "value": "Eiffel Tower"],
    /// ])
    /// // ["id": "urn:ngsi-ld:Building:1", "type": "https://example.org/ctx#Building",
    /// //  "https://example.org/ctx#name": ["type": "Property", "value": "Eiffel Tower"]]
    /// ```
    ///
    /// - Throws: ``NGSILDError/Code/invalidDocument`` when the entity is not an object, gives `id` or
    ///   `type` twice, has a type that expands to a keyword, a name that expands to no IRI, or two
    ///   names for one IRI.
    public func expandEntity(_ entity: JSON) throws(NGSILDError) -> JSON {
        guard case .object(var members) = entity else {
            throw NGSILDError(.invalidDocument, "an entity must be a JSON object, found \(entity.typeName)")
        }
        members["@context"] = nil
        for (keyword, name) in [("@id", "id"), ("@type", "type")] {
            guard let value = members.removeValue(forKey: keyword) else { continue }
            guard members[name] == nil else {
                throw NGSILDError(.invalidDocument, "an entity cannot have both \(keyword) and \(name)")
            }
            members[name] = value
        }
        let mapping = EntityNameMapping(attributeName: expandAttributeName, typeValue: expandType)
        return .object(try mapping.mapEntity(members))
    }

    /// Compacts the names of an expanded NGSI-LD entity for output with this context: the inverse of
    /// ``expandEntity(_:)``, with ``compactIRI(_:for:)``. The caller adds `@context` if the answer
    /// needs one.
    ///
    /// ```swift
    /// try ActiveContext.core.compactEntity(stored)["type"]   // "https://example.org/ctx#Building"
    /// ```
    ///
    /// - Throws: ``NGSILDError/Code/invalidDocument`` when the entity is not an object or a type is not a
    ///   string (or an array of strings).
    public func compactEntity(_ entity: JSON) throws(NGSILDError) -> JSON {
        guard case .object(let members) = entity else {
            throw NGSILDError(.invalidDocument, "an entity must be a JSON object, found \(entity.typeName)")
        }
        let mapping = EntityNameMapping(
            attributeName: { iri in compactIRI(iri, for: .attributeName) },
            typeValue: { iri in compactIRI(iri, for: .typeValue) }
        )
        return .object(try mapping.mapEntity(members))
    }
}
