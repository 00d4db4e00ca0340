import EntityModel

/// Checks an entity's values against its collection's declaration and normalizes them
/// (date-times become canonical UTC, see ``Timestamp``).
struct SchemaValidator: Sendable {
    let collection: CollectionSchema
    /// The declared fields in name order (messages come out in a stable order), sorted once.
    private let sortedFields: [(key: String, value: FieldSchema)]

    init(collection: CollectionSchema) {
        self.collection = collection
        self.sortedFields = collection.fields.sorted { $0.key < $1.key }
    }

    /// Validated, normalized values, or `validationFailed` with one message per problem.
    func validate(_ values: [String: JSON]) throws(EntityError) -> [String: JSON] {
        var problems: [String] = []
        var normalized = values
        Self.check(
            &normalized,
            fields: sortedFields,
            declared: collection.fields,
            strict: collection.isStrict,
            prefix: "",
            problems: &problems
        )
        guard problems.isEmpty else { throw EntityError(.validationFailed, problems) }
        return normalized
    }

    private static func check(
        _ values: inout [String: JSON],
        fields: [(key: String, value: FieldSchema)],
        declared: [String: FieldSchema],
        strict: Bool,
        prefix: String,
        problems: inout [String]
    ) {
        for (name, field) in fields {
            let path = prefix + name
            guard let value = values[name], value != .null else {
                if field.isRequired { problems.append("\(path): required field is missing") }
                continue
            }
            values[name] = checked(value, as: field, strict: strict, path: path, problems: &problems)
        }
        if strict {
            for name in values.keys.sorted() where declared[name] == nil {
                problems.append("\(prefix + name): unknown field (the collection accepts only declared fields)")
            }
        }
    }

    /// `value` (not `null`) normalized when it fits `field`; otherwise a problem at `path` is noted.
    /// Subfields of objects and the elements of arrays with declared `items` are checked too.
    static func checked(_ value: JSON, as field: FieldSchema, strict: Bool, path: String, problems: inout [String])
        -> JSON
    {
        guard field.type.accepts(value) else {
            problems.append("\(path): expected \(field.type.article), found \(describe(value))")
            return value
        }
        switch (field.type, value) {
        case (.datetime, .string(let text)):
            if let date = DateValidator.dateTime(text) { return .string(Timestamp.format(date)) }
        case (.object, .object(var members)) where !field.fields.isEmpty:
            check(
                &members,
                fields: field.fields.sorted { $0.key < $1.key },
                declared: field.fields,
                strict: strict,
                prefix: path + ".",
                problems: &problems
            )
            return .object(members)
        case (.array, .array(let elements)):
            guard let items = field.items else { break }
            var checkedElements: [JSON] = []
            checkedElements.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                checkedElements.append(
                    checked(element, as: items, strict: strict, path: "\(path)[\(index)]", problems: &problems)
                )
            }
            return .array(checkedElements)
        default:
            break
        }
        return value
    }

    private static func describe(_ value: JSON) -> String {
        switch value {
        case .string(let text) where text.count <= 40: return "\(value.typeName) \"\(text)\""
        case .integer, .number, .bool: return "\(value.typeName) \(value)"
        default: return value.typeName
        }
    }
}
