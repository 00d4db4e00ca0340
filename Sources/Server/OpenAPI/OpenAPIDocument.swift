import EntityModel
import EntityService

/// The OpenAPI 3.1 description of the REST API, including every collection of the loaded schema.
struct OpenAPIDocument {
    let schema: Schema
    let configuration: EntityService.Configuration

    var json: JSON {
        // Paths are relative to the server URL `/api/v1`, as Connect clients resolve them against their
        // endpoint; `/health` and `/ready` live outside it and say so with their own `servers`.
        var paths: [String: JSON] = [
            "/health": [
                "servers": [["url": "/"]],
                "get": operation("health", "Liveness check", responses: ["200": plainJSON("Server is up")]),
            ],
            "/ready": [
                "servers": [["url": "/"]],
                "get": operation(
                    "ready",
                    "Readiness check: the server and its database serve requests",
                    responses: [
                        "200": plainJSON("Ready"),
                        "503": plainJSON("The database cannot be reached now (a Connect error body)"),
                    ]
                ),
            ],
        ]
        if schema.isOpen {
            add(
                name: "Entity",
                urlPath: "/{collection}",
                declaration: CollectionSchema(),
                parameters: [pathParameter("collection")],
                into: &paths
            )
            addAccess(name: "Entity", urlPath: "/{collection}", parameters: [pathParameter("collection")], into: &paths)
        }
        for (key, declaration) in schema.allCollections {
            let (urlPath, parameters) = self.urlPath(for: key)
            add(
                name: componentName(key),
                urlPath: urlPath,
                declaration: declaration,
                parameters: parameters,
                into: &paths
            )
            addAccess(name: componentName(key), urlPath: urlPath, parameters: parameters, into: &paths)
        }
        addTopLevelOperations(into: &paths, componentName: componentName)
        paths.merge(accountPaths) { current, _ in current }
        var schemas: [String: JSON] = ["Error": errorSchema, "Meta": metaSchema]
        if schema.isOpen { schemas["Entity"] = entitySchema(CollectionSchema()) }
        for (key, declaration) in schema.allCollections { schemas[componentName(key)] = entitySchema(declaration) }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "EntityHub REST API", "version": "1.0.0",
                "description": "Connect-compatible REST API with RQL queries over JSON entities.",
            ],
            "servers": [["url": "/api/v1"]],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas), "securitySchemes": securitySchemes],
            // Anonymous requests are allowed; what they may see depends on each collection's access.
            "security": [[:], ["ApiKey": []], ["Bearer": []]],
        ]
    }

    /// `devops/services/environments` → `/devops/services/{servicesId}/environments`.
    private func urlPath(for key: String) -> (String, [JSON]) {
        let names = key.split(separator: "/").map(String.init)
        var segments: [String] = []
        var parameters: [JSON] = []
        var collections = names[...]
        if let first = names.first, schema.namespaces[first] != nil {
            segments.append(first)
            collections = collections.dropFirst()
        }
        for (offset, name) in collections.enumerated() {
            segments.append(name)
            if offset < collections.count - 1 {
                let parameter = "\(name)Id"
                segments.append("{\(parameter)}")
                parameters.append(pathParameter(parameter))
            }
        }
        return ("/" + segments.joined(separator: "/"), parameters)
    }

    private func add(
        name: String,
        urlPath: String,
        declaration: CollectionSchema,
        parameters: [JSON],
        into paths: inout [String: JSON]
    ) {
        let reference: JSON = ["$ref": .string("#/components/schemas/\(name)")]
        let list: JSON = ["type": "array", "items": reference]
        let one = jsonContent(reference)
        let many = jsonContent(list)
        let body: JSON = [
            "required": false, "content": ["application/json": ["schema": ["oneOf": [reference, list]]]],
        ]
        let idParameters = parameters + [pathParameter("id")]
        let id = "\(name)"
        paths[urlPath] = [
            "parameters": .array(parameters),
            "get": operation(
                "list\(id)",
                "List with RQL filter, ordering, select, search and paging",
                parameters: listParameters,
                responses: [
                    "200": response("A page; Content-Range: items first-last/total", many, headers: ["Content-Range"])
                ]
            ),
            "post": operation(
                "create\(id)",
                "Create one entity (object) or many (array)",
                parameters: [idempotencyKey],
                body: body,
                responses: ["201": response("Created", jsonContent(["oneOf": [reference, list]]))]
            ),
            "put": operation(
                "bulkUpdate\(id)",
                "Update several entities (array of objects with id)",
                parameters: [idempotencyKey],
                body: jsonBody(list),
                responses: ["200": response("Updated", many)]
            ),
            "delete": operation(
                "bulkDelete\(id)",
                "Delete several entities (array of objects with id)",
                parameters: [idempotencyKey],
                body: jsonBody(list),
                responses: ["204": ["description": "Deleted"]]
            ),
        ]
        paths["\(urlPath)/{id}"] = [
            "parameters": .array(idParameters),
            "get": operation(
                "get\(id)",
                "Read one entity",
                responses: ["200": response("The entity", one, headers: ["ETag"])]
            ),
            "put": operation(
                "update\(id)",
                "Set the given fields",
                parameters: [ifMatch, idempotencyKey],
                body: jsonBody(reference),
                responses: ["200": response("Updated", one)]
            ),
            "patch": operation(
                "patch\(id)",
                "Apply a JSON merge patch (RFC 7396)",
                parameters: [ifMatch, idempotencyKey],
                body: jsonBody(reference),
                responses: ["200": response("Updated", one)]
            ),
            "delete": operation(
                "delete\(id)",
                "Delete one entity",
                parameters: [ifMatch, idempotencyKey],
                responses: ["204": ["description": "Deleted"]]
            ),
        ]
        addOperations(name: name, urlPath: urlPath, declaration: declaration, parameters: parameters, into: &paths)
    }

    func operation(
        _ id: String,
        _ summary: String,
        parameters: [JSON] = [],
        body: JSON? = nil,
        responses: [String: JSON]
    ) -> JSON {
        var allResponses = responses
        allResponses["default"] = response("Error", jsonContent(["$ref": "#/components/schemas/Error"]))
        var members: [String: JSON] = [
            "operationId": .string(id), "summary": .string(summary), "responses": .object(allResponses),
        ]
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let body { members["requestBody"] = body }
        return .object(members)
    }

    private var listParameters: [JSON] {
        [
            queryParameter(
                "limit",
                "Page size (default \(configuration.defaultPageSize), at most \(configuration.maximumPageSize))",
                type: "integer"
            ),
            queryParameter("offset", "Entities to skip", type: "integer"),
            queryParameter("search", "Full-text search terms", type: "string"),
            [
                "name": "Prefer", "in": "header", "required": false,
                "description": "count=none: skip counting the matches (the Content-Range total is then *)",
                "schema": ["type": "string"],
            ],
        ]
    }

    private var ifMatch: JSON {
        [
            "name": "If-Match", "in": "header", "required": false,
            "description": "The version (ETag) the entity must still have",
            "schema": ["type": "string"],
        ]
    }

    private var idempotencyKey: JSON {
        [
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "Makes a retry safe: a repeat with the same key and request gets the first answer",
            "schema": ["type": "string", "minLength": 1, "maxLength": 255],
        ]
    }

    func pathParameter(_ name: String) -> JSON {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
    }

    func queryParameter(_ name: String, _ description: String, type: String) -> JSON {
        [
            "name": .string(name), "in": "query", "required": false, "description": .string(description),
            "schema": ["type": .string(type)],
        ]
    }

    func jsonContent(_ schema: JSON) -> JSON { ["application/json": ["schema": schema]] }

    func jsonBody(_ schema: JSON) -> JSON { ["required": true, "content": jsonContent(schema)] }

    func plainJSON(_ description: String) -> JSON {
        ["description": .string(description), "content": jsonContent(["type": "object"])]
    }

    func response(_ description: String, _ content: JSON, headers: [String] = []) -> JSON {
        var members: [String: JSON] = ["description": .string(description), "content": content]
        if !headers.isEmpty {
            members["headers"] = .object(
                Dictionary(uniqueKeysWithValues: headers.map { ($0, ["schema": ["type": "string"]] as JSON) })
            )
        }
        return .object(members)
    }

    private func componentName(_ key: String) -> String {
        key.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}
