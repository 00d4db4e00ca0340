import EntityModel
import EntityService
import HTTPTypes
import Hummingbird

/// `_auth/…` (sign in and out) and `_admin/…` (users, API keys, audit log) under `/api/v1`.
struct AccountEndpoints {
    let accounts: Accounts
    let caller: Caller
    /// The client's address, which failed logins are counted by.
    let address: String?

    /// Whether `segments` (below the API prefix) name one of these endpoints.
    static func handles(_ segments: [String]) -> Bool {
        segments.first == "_auth" || segments.first == "_admin"
    }

    func respond(to segments: [String], method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        switch (segments.first, Array(segments.dropFirst())) {
        case ("_auth", ["login"]):
            try require(method, .post)
            let body = try await input.jsonBody()
            guard let username = body?["username"]?.stringValue, let password = body?["password"]?.stringValue else {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    #"request body: expected {"username": "...", "password": "..."}"#
                )
            }
            let session = try await accounts.login(
                username: username,
                password: password,
                address: address,
                channel: caller.channel
            )
            return JSONResponse.make(status: .ok, json: AccountJSON.session(session))
        case ("_auth", ["logout"]):
            try require(method, .post)
            try await accounts.logout(caller)
            return Response(status: .noContent)
        case ("_auth", ["me"]):
            try require(method, .get)
            guard let id = caller.userID, let name = caller.userName else {
                throw EntityError(.unauthenticated, "not signed in")
            }
            let role = caller.isAdmin ? Role.admin : Role.user
            return JSONResponse.make(
                status: .ok,
                json: .object(["id": .string(id), "name": .string(name), "role": .string(role)])
            )
        case ("_admin", ["users"]):
            return try await users(method, input: input)
        case ("_admin", let rest) where rest.count == 2 && rest[0] == "users":
            try require(method, .delete)
            let newOwner = input.request.uri.queryParameters["transfer_to"].map(String.init)
            try await accounts.removeUser(rest[1], transferringTo: newOwner, as: caller)
            return Response(status: .noContent)
        case ("_admin", let rest) where rest.count == 3 && rest[0] == "users" && rest[2] == "keys":
            return try await keys(of: rest[1], method, input: input)
        case ("_admin", let rest) where rest.count == 2 && rest[0] == "keys":
            try require(method, .delete)
            try await accounts.revokeAPIKey(rest[1], as: caller)
            return Response(status: .noContent)
        case ("_admin", ["audit"]):
            try require(method, .get)
            let after = try ChangesEndpoint.integer(input.request.uri.queryParameters["after"], name: "after") ?? 0
            let limit = try ChangesEndpoint.integer(input.request.uri.queryParameters["limit"], name: "limit") ?? 100
            let events = try await accounts.auditEvents(after: after, limit: Int(limit), as: caller)
            return JSONResponse.make(status: .ok, json: .array(events.map(AccountJSON.auditEvent)))
        default:
            throw RESTError(.notFound, "NOT_FOUND", "no such endpoint: /api/v1/\(segments.joined(separator: "/"))")
        }
    }

    private func users(_ method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        switch method {
        case .get:
            let users = try await accounts.users(as: caller)
            return JSONResponse.make(status: .ok, json: .array(users.map(AccountJSON.user)))
        case .post:
            let body = try await input.jsonBody()
            guard let name = body?["name"]?.stringValue else {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    #"request body: expected {"name": "...", "password": "...", "role": "user"}"#
                )
            }
            let role = body?["role"]?.stringValue ?? Role.user
            guard role == Role.user || role == Role.admin else {
                throw RESTError(.badRequest, "INVALID_REQUEST", "role: expected \"user\" or \"admin\", found '\(role)'")
            }
            let user = try await accounts.addUser(
                name: name,
                password: body?["password"]?.stringValue,
                isAdmin: role == Role.admin,
                as: caller
            )
            return JSONResponse.make(status: .created, json: AccountJSON.user(user))
        default:
            throw RESTError.methodNotAllowed(method, allowed: [.get, .post])
        }
    }

    private func keys(of user: String, _ method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        switch method {
        case .get:
            let keys = try await accounts.apiKeys(of: user, as: caller)
            return JSONResponse.make(status: .ok, json: .array(keys.map { AccountJSON.key($0, userName: user) }))
        case .post:
            let label = try await input.jsonBody()?["label"]?.stringValue
            let issued = try await accounts.createAPIKey(for: user, label: label, as: caller)
            return JSONResponse.make(status: .created, json: AccountJSON.issuedKey(issued, userName: user))
        default:
            throw RESTError.methodNotAllowed(method, allowed: [.get, .post])
        }
    }

    private func require(_ method: HTTPRequest.Method, _ allowed: HTTPRequest.Method) throws(RESTError) {
        guard method == allowed else { throw RESTError.methodNotAllowed(method, allowed: [allowed]) }
    }
}
