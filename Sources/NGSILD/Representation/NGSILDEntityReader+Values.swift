import EntityModel

extension NGSILDEntityReader {
    /// A value member (`value`, `object`, `languageMap`, `json`, `vocab`, `valueList`, `objectList`),
    /// checked; kept as given except a GeoJSON string (parsed), `vocab` values (stored names) and plain
    /// IRIs in `objectList` (made `{"object": iri}`).
    func valueMember(
        _ name: String,
        _ value: JSON,
        type: NGSILDAttributeType?,
        path: String,
        mode: Mode
    ) throws(NGSILDError) -> JSON {
        if value == .null { throw Self.bad("\(path): must not be null") }
        if NGSILDSyntax.isNull(value) {
            guard mode.allowsNull else { throw Self.bad("\(path): NGSI-LD Null is only allowed in updates and merges") }
            return value
        }
        switch name {
        case "value": return type == .geoProperty ? try geometry(value, path: path) : value
        case "object": return try objects(value, path: path)
        case "languageMap": return try languageMap(value, path: path)
        case "vocab": return try typeValues(value, path: path)
        case "valueList":
            guard case .array = value else { throw Self.bad("\(path): must be an array, found \(value.typeName)") }
            return value
        case "objectList": return try objectList(value, path: path)
        default: return value
        }
    }

    /// A GeoProperty value: a GeoJSON geometry, or a string holding one (4.7.2).
    private func geometry(_ value: JSON, path: String) throws(NGSILDError) -> JSON {
        var geometry = value
        if case .string(let text) = value {
            guard let parsed = try? JSON(parsing: text) else {
                throw Self.bad("\(path): a string that is no GeoJSON geometry")
            }
            geometry = parsed
        }
        guard NGSILDSyntax.isGeometry(geometry) else {
            let type = geometry["type"]?.stringValue ?? geometry.typeName
            throw Self.bad(
                "\(path): \(type) is not a GeoJSON geometry NGSI-LD accepts (Point, LineString, Polygon, Multi…)"
            )
        }
        return geometry
    }

    /// A Relationship object: an IRI or a non-empty array of IRIs.
    private func objects(_ value: JSON, path: String) throws(NGSILDError) -> JSON {
        let elements: [JSON]
        switch value {
        case .string: elements = [value]
        case .array(let array) where !array.isEmpty: elements = array
        default: throw Self.bad("\(path): must be an IRI or a non-empty array of IRIs, found \(value.typeName)")
        }
        for element in elements {
            guard case .string(let iri) = element, NGSILDSyntax.isEntityId(iri) else {
                throw Self.bad("\(path): not an absolute IRI (\(element))")
            }
        }
        return value
    }

    /// A language map: language tag (or `@none`) → a string or an array of strings.
    private func languageMap(_ value: JSON, path: String) throws(NGSILDError) -> JSON {
        guard case .object(let entries) = value, !entries.isEmpty else {
            throw Self.bad("\(path): must be a non-empty object of language tags, found \(value.typeName)")
        }
        for (tag, text) in entries {
            let isText: Bool
            switch text {
            case .string: isText = true
            case .array(let elements): isText = elements.allSatisfy { $0.stringValue != nil }
            default: isText = false
            }
            guard !tag.isEmpty, isText else {
                throw Self.bad("\(path).\(tag): must be a string or an array of strings")
            }
        }
        return value
    }

    /// A ListRelationship object list: IRIs, or objects `{"object": iri}`; stored as the objects.
    private func objectList(_ value: JSON, path: String) throws(NGSILDError) -> JSON {
        guard case .array(let elements) = value else {
            throw Self.bad("\(path): must be an array, found \(value.typeName)")
        }
        var list: [JSON] = []
        for element in elements {
            let object = element.stringValue.map(JSON.string) ?? element["object"]
            guard case .string(let iri)? = object, NGSILDSyntax.isEntityId(iri) else {
                throw Self.bad("\(path): \(element) is neither an IRI nor {\"object\": IRI}")
            }
            list.append(["object": .string(iri)])
        }
        return .array(list)
    }
}
