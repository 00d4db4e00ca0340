import EntityModel
import EntityService
import HTTPTypes
import Hummingbird

/// `collection/ID/_access`: who holds which right on the entity (GET); `collection/ID/_access/USER`:
/// grant or change USER's right (PUT `{"right": "D"}`), revoke it (DELETE).
struct AccessEndpoint {
    let service: EntityService
    let collection: CollectionPath
    let id: String
    let user: String?
    let caller: Caller

    func respond(to method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        guard let user else {
            guard method == .get else { throw RESTError.methodNotAllowed(method, allowed: [.get]) }
            let entries = try await service.accessList(on: id, in: collection, as: caller)
            return JSONResponse.make(status: .ok, json: .array(entries.map(AccountJSON.accessEntry)))
        }
        switch method {
        case .put:
            let body = try await input.jsonBody()
            guard let code = body?["right"]?.stringValue else {
                throw RESTError(.badRequest, "INVALID_REQUEST", #"request body: expected {"right": "D", "U" or "r"}"#)
            }
            guard let right = AccessRight(code: code) else {
                throw RESTError(.badRequest, "INVALID_REQUEST", "right: expected D, U or r, found '\(code)'")
            }
            let grant = try await service.grant(right, to: user, on: id, in: collection, as: caller)
            return JSONResponse.make(status: .ok, json: AccountJSON.grant(grant, userName: user))
        case .delete:
            try await service.revokeGrant(from: user, on: id, in: collection, as: caller)
            return Response(status: .noContent)
        default:
            throw RESTError.methodNotAllowed(method, allowed: [.put, .delete])
        }
    }
}
