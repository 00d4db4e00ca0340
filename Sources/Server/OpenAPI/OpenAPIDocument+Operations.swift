import EntityModel

/// The schema's actions and functions in the OpenAPI document, with their parameters.
extension OpenAPIDocument {
    /// The paths of a collection's actions and functions.
    func addOperations(
        name: String,
        urlPath: String,
        declaration: CollectionSchema,
        parameters: [JSON],
        into paths: inout [String: JSON]
    ) {
        let entity = jsonContent(["$ref": .string("#/components/schemas/\(name)")])
        let idParameters = parameters + [pathParameter("id")]
        for (action, spec) in declaration.actions.sorted(by: { $0.key < $1.key }) {
            let summary = "Action \(action)" + (spec.when.map { " (requires \($0))" } ?? "")
            let collectionWide = spec.scope == .collection
            paths[collectionWide ? "\(urlPath)/\(action)" : "\(urlPath)/{id}/\(action)"] = [
                "parameters": .array(collectionWide ? parameters : idParameters),
                "post": operation(
                    collectionWide ? "\(action)\(name)Collection" : "\(action)\(name)",
                    summary,
                    body: actionBody(spec.parameters),
                    responses: ["200": collectionWide ? updatedResponse : response("The updated entity", entity)]
                ),
            ]
        }
        for (function, spec) in declaration.functions.sorted(by: { $0.key < $1.key }) {
            if spec.scope == .resource {
                paths["\(urlPath)/{id}/\(function)"] = [
                    "parameters": .array(idParameters),
                    "get": operation(
                        "\(function)\(name)",
                        "Function \(function): whether the entity matches \(spec.test ?? "")",
                        parameters: functionParameters(spec.parameters),
                        responses: [
                            "200": response(
                                "The answer",
                                jsonContent(["type": "object", "properties": ["value": ["type": "boolean"]]])
                            )
                        ]
                    ),
                ]
            } else {
                paths["\(urlPath)/\(function)"] = [
                    "parameters": .array(parameters),
                    "get": collectionFunction("\(function)\(name)Collection", function, spec, entity: name),
                ]
            }
        }
    }

    /// The paths of the top-level actions and functions: `/resetStock`, `/countCheap`.
    func addTopLevelOperations(into paths: inout [String: JSON], componentName: (String) -> String) {
        for (action, spec) in schema.actions.sorted(by: { $0.key < $1.key }) {
            paths["/\(action)"] = [
                "post": operation(
                    action,
                    "Action \(action) on every match in \(spec.collection ?? "")"
                        + (spec.when.map { " (requires \($0))" } ?? ""),
                    body: actionBody(spec.parameters),
                    responses: ["200": updatedResponse]
                )
            ]
        }
        for (function, spec) in schema.functions.sorted(by: { $0.key < $1.key }) {
            paths["/\(function)"] = [
                "get": collectionFunction(function, function, spec, entity: componentName(spec.collection ?? ""))
            ]
        }
    }

    private func collectionFunction(_ id: String, _ function: String, _ spec: FunctionSchema, entity: String)
        -> JSON
    {
        let answer: JSON =
            spec.returns == .count
            ? response(
                "How many entities match",
                jsonContent(["type": "object", "properties": ["count": ["type": "integer"]]])
            )
            : response(
                "The matching entities (narrowed, ordered and paged by RQL like a list)",
                jsonContent(["type": "array", "items": ["$ref": .string("#/components/schemas/\(entity)")]]),
                headers: ["Content-Range"]
            )
        return operation(
            id,
            "Function \(function): the entities matching \(spec.filter ?? "")",
            parameters: functionParameters(spec.parameters),
            responses: ["200": answer]
        )
    }

    /// The JSON object of an action's parameters (optional when none is required).
    private func actionBody(_ parameters: [String: FieldSchema]) -> JSON? {
        guard !parameters.isEmpty else { return nil }
        let required = parameters.values.contains(where: \.isRequired)
        return ["required": .bool(required), "content": jsonContent(parameterObject(parameters))]
    }

    private func parameterObject(_ parameters: [String: FieldSchema]) -> JSON {
        var members: [String: JSON] = [
            "type": "object",
            "properties": .object(parameters.mapValues(fieldSchema)),
            "additionalProperties": false,
        ]
        let required = parameters.filter(\.value.isRequired).keys.sorted().map(JSON.string)
        if !required.isEmpty { members["required"] = .array(required) }
        return .object(members)
    }

    /// A function's parameters as query parameters (`?max=3`).
    private func functionParameters(_ parameters: [String: FieldSchema]) -> [JSON] {
        parameters.sorted(by: { $0.key < $1.key }).map { name, field in
            [
                "name": .string(name), "in": "query", "required": .bool(field.isRequired),
                "schema": fieldSchema(field),
            ]
        }
    }

    private var updatedResponse: JSON {
        response(
            "How many entities were updated",
            jsonContent(["type": "object", "properties": ["updated": ["type": "integer"]]])
        )
    }
}
