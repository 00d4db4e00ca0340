import EntityModel
import EntityService
import HTTPTypes
import Hummingbird

/// `collection/ID`: read (GET), update the given fields (PUT), merge patch (PATCH), delete (DELETE).
struct ResourceEndpoint {
    let service: EntityService
    let collection: CollectionPath
    let id: String
    let caller: Caller

    static let allowed: [HTTPRequest.Method] = [.get, .put, .patch, .delete]

    func respond(to method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        switch method {
        case .get:
            return JSONResponse.entity(try await service.get(id, in: collection, as: caller))
        case .put:
            let body = try await input.jsonBody() ?? .object([:])
            let entity = try await service.update(
                id,
                setting: body,
                expectedVersion: try input.expectedVersion(),
                in: collection,
                as: caller,
                idempotencyKey: try input.idempotencyKey(body: body)
            )
            return JSONResponse.entity(entity)
        case .patch:
            let body = try await input.jsonBody() ?? .object([:])
            let entity = try await service.patch(
                id,
                with: body,
                expectedVersion: try input.expectedVersion(),
                in: collection,
                as: caller,
                idempotencyKey: try input.idempotencyKey(body: body)
            )
            return JSONResponse.entity(entity)
        case .delete:
            try await service.delete(
                id,
                expectedVersion: try input.expectedVersion(),
                in: collection,
                as: caller,
                idempotencyKey: try input.idempotencyKey(body: .null)
            )
            return Response(status: .noContent)
        default:
            throw RESTError.methodNotAllowed(method, allowed: Self.allowed)
        }
    }
}
