import EntityModel
import EntityQuery
import EntityService
import HTTPTypes
import Hummingbird
import Logging

/// The Connect-compatible REST API under `/api/v1`: wire format in, ``EntityService`` calls, wire
/// format out. Nothing else lives here.
struct RESTController<Context: RequestContext>: Sendable {
    static var prefix: String { "/api/v1" }

    let service: EntityService
    let limits: RESTLimits

    func addRoutes(to router: Router<Context>) {
        let document = OpenAPIDocument(schema: service.schema, configuration: service.configuration).json
        router.get("\(Self.prefix)/openapi.json") { _, _ in
            JSONResponse.make(status: .ok, json: document)
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .options] {
            router.on("\(Self.prefix)/**", method: method) { request, context in
                await respond(to: request, logger: context.logger)
            }
        }
    }

    func respond(to request: Request, logger: Logger) async -> Response {
        do {
            return try await dispatch(request)
        } catch let error as RESTError {
            return error.response()
        } catch let error as EntityError {
            return RESTError(error).response()
        } catch let error as any HTTPResponseError {
            return RESTError(error).response()
        } catch {
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return RESTError(.internalServerError, "INTERNAL", "internal error").response()
        }
    }

    private func dispatch(_ request: Request) async throws -> Response {
        let path = request.uri.path.dropFirst(Self.prefix.count + 1)
        let target = try RESTPath.resolve(RESTPath.segments(of: path), in: service.schema)
        let input = RESTRequest(request: request, limits: limits)
        let caller = Caller(channel: "rest")
        // HEAD reads like GET (the router drops the body); it never runs an action.
        let method = request.method == .head ? HTTPRequest.Method.get : request.method
        switch target {
        case .collection(let collection):
            return try await CollectionEndpoint(service: service, collection: collection, caller: caller)
                .respond(to: method, input: input)
        case .entity(let collection, let id):
            return try await ResourceEndpoint(service: service, collection: collection, id: id, caller: caller)
                .respond(to: method, input: input)
        case .entityAction(let collection, let id, let name):
            try requireActionMethod(request.method)
            let entity = try await service.runAction(
                name,
                on: id,
                expectedVersion: try input.expectedVersion(),
                in: collection,
                as: caller
            )
            return JSONResponse.entity(entity)
        case .collectionAction(let collection, let name):
            try requireActionMethod(request.method)
            let count = try await service.runCollectionAction(
                name,
                filter: try input.rql().filter,
                in: collection,
                as: caller
            )
            return JSONResponse.make(status: .ok, json: ["updated": .integer(Int64(count))])
        }
    }

    private func requireActionMethod(_ method: HTTPRequest.Method) throws(RESTError) {
        let allowed: [HTTPRequest.Method] = [.get, .post, .put, .delete]
        guard allowed.contains(method) else { throw RESTError.methodNotAllowed(method, allowed: allowed) }
    }
}
