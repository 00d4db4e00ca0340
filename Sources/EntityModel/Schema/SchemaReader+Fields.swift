extension SchemaReader {
    private static var typeNames: String { FieldType.allCases.map(\.rawValue).joined(separator: ", ") }

    /// A field declaration; `reference` fields only where `allowingReference` (top-level fields of a
    /// collection: not subfields, array items or parameters).
    func field(allowingReference: Bool) throws(SchemaError) -> FieldSchema {
        try allowOnly([
            "type", "required", "fields", "description", "items", "collection", "navigation", "inverse", "onDelete",
        ])
        guard let typeName = try string("type") else {
            throw SchemaError(path: child("type"), reason: "missing; expected one of \(Self.typeNames)")
        }
        guard let type = FieldType(rawValue: typeName) else {
            throw SchemaError(
                path: child("type"),
                reason: "unknown type \"\(typeName)\"; expected one of \(Self.typeNames)"
            )
        }
        var subfields: [String: FieldSchema] = [:]
        for (name, value) in try objectMembers("fields") {
            let path = child("fields.\(name)")
            subfields[try validFieldName(name, path: path)] = try SchemaReader(value, path: path).field(
                allowingReference: false
            )
        }
        var items: FieldSchema?
        if let value = members["items"] {
            guard type == .array else {
                throw SchemaError(path: child("items"), reason: "only array fields declare items")
            }
            items = try SchemaReader(value, path: child("items")).field(allowingReference: false)
        }
        var reference: ReferenceSchema?
        if type == .reference {
            guard allowingReference else {
                throw SchemaError(
                    path: child("type"),
                    reason: "reference fields are top-level fields of a collection (not subfields, items or parameters)"
                )
            }
            reference = try self.reference()
        } else if let key = ["collection", "navigation", "inverse", "onDelete"].first(where: { members[$0] != nil }) {
            throw SchemaError(path: child(key), reason: "only reference fields declare \(key)")
        }
        return FieldSchema(
            type: type,
            isRequired: try bool("required") ?? false,
            fields: subfields,
            items: items,
            reference: reference
        )
    }

    private func reference() throws(SchemaError) -> ReferenceSchema {
        guard let collection = try string("collection"), !collection.isEmpty else {
            throw SchemaError(
                path: child("collection"),
                reason: "missing; a reference names the collection of its targets (e.g. \"categories\")"
            )
        }
        let navigation = try string("navigation")
        if let navigation { _ = try validName(navigation, path: child("navigation")) }
        let inverse = try string("inverse")
        if let inverse { _ = try validName(inverse, path: child("inverse")) }
        return ReferenceSchema(
            collection: collection,
            navigation: navigation,
            inverse: inverse,
            onDelete: try choice("onDelete", of: ReferenceSchema.OnDelete.self, naming: "onDelete rule") ?? .restrict
        )
    }

    /// `"parameters": {"max": {"type": "decimal", "required": true}}`: typed like fields.
    func parameters() throws(SchemaError) -> [String: FieldSchema] {
        var result: [String: FieldSchema] = [:]
        for (name, value) in try objectMembers("parameters") {
            let path = child("parameters.\(name)")
            result[try validName(name, path: path)] = try SchemaReader(value, path: path).field(
                allowingReference: false
            )
        }
        return result
    }
}
