import EntityModel

/// The sign-in, admin, change-log and sharing parts of the document.
extension OpenAPIDocument {
    var securitySchemes: JSON {
        [
            "ApiKey": [
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "ApiKey <id>:<secret>, as created by POST /_admin/users/{name}/keys",
            ],
            "Bearer": ["type": "http", "scheme": "bearer", "description": "A token from POST /_auth/login"],
        ]
    }

    var accountPaths: [String: JSON] {
        let object = jsonContent(["type": "object"])
        let objects = jsonContent(["type": "array", "items": ["type": "object"]])
        let name = pathParameter("name")
        return [
            "/_auth/login": [
                "post": operation(
                    "login",
                    "Sign in with a user name and password; answers a bearer token",
                    body: jsonBody(["type": "object", "required": ["username", "password"]]),
                    responses: ["200": response("A session token and its expiry", object)]
                )
            ],
            "/_auth/logout": [
                "post": operation("logout", "End the session of the bearer token", responses: ["204": noContent])
            ],
            "/_auth/me": [
                "get": operation("me", "The signed-in user", responses: ["200": response("Name and role", object)])
            ],
            "/_admin/users": [
                "get": operation("listUsers", "Every user (admins)", responses: ["200": response("Users", objects)]),
                "post": operation(
                    "addUser",
                    "Add a user (admins)",
                    body: jsonBody(["type": "object", "required": ["name"]]),
                    responses: ["201": response("The user", object)]
                ),
            ],
            "/_admin/users/{name}": [
                "parameters": [name],
                "delete": operation(
                    "removeUser",
                    "Remove a user with their keys and grants (admins); their entities stay, owned by admins alone, "
                        + "unless transfer_to names a user to pass them to",
                    parameters: [
                        queryParameter(
                            "transfer_to",
                            "the user who becomes the creator of the removed user's entities",
                            type: "string"
                        )
                    ],
                    responses: ["204": noContent]
                ),
            ],
            "/_admin/users/{name}/keys": [
                "parameters": [name],
                "get": operation(
                    "listKeys",
                    "A user's API keys, without secrets (admins)",
                    responses: ["200": response("Keys", objects)]
                ),
                "post": operation(
                    "createKey",
                    "Create an API key for a user (admins); its secret is in this answer only",
                    responses: ["201": response("The key with its secret", object)]
                ),
            ],
            "/_admin/keys/{id}": [
                "parameters": [pathParameter("id")],
                "delete": operation("revokeKey", "Revoke an API key (admins)", responses: ["204": noContent]),
            ],
            "/_admin/audit": [
                "get": logRead(
                    "audit",
                    "Audit log: grants, revocations, keys, logins (admins)",
                    limit: "At most this many events (1-1000)",
                    answer: response("Events, oldest first", objects)
                )
            ],
            "/_changes": [
                "get": logRead(
                    "changes",
                    "Changes of the entities the caller may read: the latest per entity, deletions and lost access as deletes",
                    limit: "Entries to read",
                    answer: response("Entries and the position to continue from", object)
                )
            ],
        ]
    }

    /// `…/{id}/_access` and `…/{id}/_access/{user}` of one collection.
    func addAccess(name: String, urlPath: String, parameters: [JSON], into paths: inout [String: JSON]) {
        let entityParameters = parameters + [pathParameter("id")]
        paths["\(urlPath)/{id}/_access"] = [
            "parameters": .array(entityParameters),
            "get": operation(
                "listAccess\(name)",
                "Every user with their right on the entity (C, D, U, r, none), for its creator and admins",
                responses: [
                    "200": response("Users and rights", jsonContent(["type": "array", "items": ["type": "object"]]))
                ]
            ),
        ]
        paths["\(urlPath)/{id}/_access/{user}"] = [
            "parameters": .array(entityParameters + [pathParameter("user")]),
            "put": operation(
                "grant\(name)",
                "Grant or change a user's right (D, U or r)",
                body: jsonBody(["type": "object", "required": ["right"]]),
                responses: ["200": response("The grant", jsonContent(["type": "object"]))]
            ),
            "delete": operation("revoke\(name)", "Revoke a user's grant", responses: ["204": noContent]),
        ]
    }

    private var noContent: JSON { ["description": "Done"] }

    /// A GET that reads a log from a position: `after` (a sequence number) and `limit`.
    private func logRead(_ id: String, _ summary: String, limit: String, answer: JSON) -> JSON {
        operation(
            id,
            summary,
            parameters: [
                queryParameter("after", "Entries after this sequence number", type: "integer"),
                queryParameter("limit", limit, type: "integer"),
            ],
            responses: ["200": answer]
        )
    }
}
