import EntityModel

/// The `components.schemas` of the document: errors, metadata, and one schema per collection.
extension OpenAPIDocument {
    var errorSchema: JSON {
        [
            "type": "object", "required": ["error_code", "errors"],
            "properties": [
                "error_code": ["type": "string"], "errors": ["type": "array", "items": ["type": "string"]],
            ],
        ]
    }

    var metaSchema: JSON {
        [
            "type": "object", "readOnly": true,
            "properties": [
                "version": ["type": "integer"], "created": ["type": "string", "format": "date-time"],
                "updated": ["type": "string", "format": "date-time"], "createdBy": ["type": "string"],
            ],
        ]
    }

    func entitySchema(_ declaration: CollectionSchema) -> JSON {
        var properties: [String: JSON] = ["id": ["type": "string"], "_meta": ["$ref": "#/components/schemas/Meta"]]
        for (name, field) in declaration.fields { properties[name] = fieldSchema(field) }
        let required = declaration.fields.filter(\.value.isRequired).keys.sorted().map(JSON.string)
        var members: [String: JSON] = [
            "type": "object", "properties": .object(properties),
            "additionalProperties": .bool(!declaration.isStrict),
        ]
        if !required.isEmpty { members["required"] = .array(required) }
        return .object(members)
    }

    func fieldSchema(_ field: FieldSchema) -> JSON {
        switch field.type {
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer"]
        case .decimal: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .date: return ["type": "string", "format": "date"]
        case .datetime: return ["type": "string", "format": "date-time"]
        case .array:
            guard let items = field.items else { return ["type": "array"] }
            return ["type": "array", "items": fieldSchema(items)]
        case .reference:
            let target = field.reference?.collection ?? ""
            return ["type": "string", "description": .string("the id of an entity of \(target)")]
        case .object:
            var properties: [String: JSON] = [:]
            for (name, subfield) in field.fields { properties[name] = fieldSchema(subfield) }
            return ["type": "object", "properties": .object(properties)]
        }
    }
}
