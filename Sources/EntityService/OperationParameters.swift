import EntityModel

/// Checks the parameters given to an action or function against their declaration.
enum OperationParameters {
    /// The parameters, validated and normalized (date-times canonical, as field values), or
    /// `invalidRequest` with one message per problem: an unknown name, a missing required parameter,
    /// a value of the wrong type. A `null` value counts as not given.
    static func validate(_ given: [String: JSON], declared: [String: FieldSchema], operation: String)
        throws(EntityError) -> [String: JSON]
    {
        var problems: [String] = []
        var result: [String: JSON] = [:]
        for name in given.keys.sorted() where declared[name] == nil {
            let names = declared.keys.sorted().joined(separator: ", ")
            problems.append(
                "parameter \(name): \(operation) has no such parameter"
                    + (names.isEmpty ? "; it takes none" : "; it takes \(names)")
            )
        }
        for (name, field) in declared.sorted(by: { $0.key < $1.key }) {
            guard let value = given[name], value != .null else {
                if field.isRequired { problems.append("parameter \(name): required parameter is missing") }
                continue
            }
            result[name] = SchemaValidator.checked(
                value,
                as: field,
                strict: false,
                path: "parameter \(name)",
                problems: &problems
            )
        }
        guard problems.isEmpty else { throw EntityError(.invalidRequest, problems) }
        return result
    }
}
