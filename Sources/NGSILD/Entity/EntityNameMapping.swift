import EntityModel

/// Rewrites the names of an NGSI-LD entity document: the entity `type` values, attribute and
/// sub-attribute names, and `vocab`/`objectType` values. Everything else is kept, and nothing inside
/// `value`, `json`, `languageMap`, `object`, `valueList` or `objectList` is looked at.
struct EntityNameMapping {
    /// Maps an attribute or sub-attribute name.
    let attributeName: (String) throws(NGSILDError) -> String
    /// Maps a type, `vocab` or `objectType` value.
    let typeValue: (String) throws(NGSILDError) -> String

    /// The entity's members with names and types mapped; `id`, `scope` and the like are kept.
    func mapEntity(_ members: [String: JSON]) throws(NGSILDError) -> [String: JSON] {
        try mapMembers(members, typeLikeNames: ["type"])
    }

    /// An attribute: one instance (an object), several (an array of objects), or a concise value.
    private func mapAttribute(_ value: JSON) throws(NGSILDError) -> JSON {
        switch value {
        case .object(let members):
            return .object(try mapMembers(members, typeLikeNames: NGSILDMemberName.typeLikeValues))
        case .array(let instances):
            var mapped: [JSON] = []
            mapped.reserveCapacity(instances.count)
            for instance in instances { mapped.append(try mapAttribute(instance)) }
            return .array(mapped)
        default: return value
        }
    }

    /// The members of an entity or attribute: type-like values mapped, listed names kept, every other
    /// member an attribute (or sub-attribute) whose name is mapped.
    private func mapMembers(_ members: [String: JSON], typeLikeNames: Set<String>) throws(NGSILDError)
        -> [String: JSON]
    {
        var result: [String: JSON] = [:]
        for (name, value) in members {
            if typeLikeNames.contains(name) {
                result[name] = try mapTypes(value, member: name)
            } else if NGSILDMemberName.keepsName(name) {
                result[name] = value
            } else {
                try insert(mapAttribute(value), at: attributeName(name), into: &result, original: name)
            }
        }
        return result
    }

    /// A type-like member: a string or an array of strings.
    private func mapTypes(_ value: JSON, member: String) throws(NGSILDError) -> JSON {
        switch value {
        case .string(let name): return .string(try typeValue(name))
        case .array(let elements):
            var mapped: [JSON] = []
            for element in elements {
                guard case .string(let name) = element else { throw Self.malformed(member, value) }
                mapped.append(.string(try typeValue(name)))
            }
            return .array(mapped)
        default: throw Self.malformed(member, value)
        }
    }

    /// Two names that map to one (`speed` and `ex:speed` for the same IRI) would lose a value: refused.
    private func insert(
        _ value: JSON,
        at name: String,
        into result: inout [String: JSON],
        original: String
    ) throws(NGSILDError) {
        guard result[name] == nil else {
            throw NGSILDError(.invalidDocument, "\"\(original)\" and another member both stand for \(name)")
        }
        result[name] = value
    }

    private static func malformed(_ member: String, _ value: JSON) -> NGSILDError {
        NGSILDError(.invalidDocument, "\(member) must be a string or an array of strings, found \(value.typeName)")
    }
}
