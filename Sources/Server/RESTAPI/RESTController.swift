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
    static var authPrefix: String { "/api/v1/_auth/" }

    let service: EntityService
    let limits: RESTLimits
    /// Serves `{collection}/{id}/_files/{sha256}`.
    let files: FilesController<Context>

    func addRoutes(to router: Router<Context>) {
        let document = OpenAPIDocument(schema: service.schema, configuration: service.configuration).json
        // Anyone may read the document, but a request with a bad credential is refused like any other.
        router.get("\(Self.prefix)/openapi.json") { request, _ in
            do throws(EntityError) {
                _ = try await service.accounts.authenticate(
                    authorization: request.headers[.authorization],
                    channel: "rest"
                )
                return JSONResponse.make(status: .ok, json: document)
            } catch {
                return RESTError(error).response()
            }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .options] {
            router.on("\(Self.prefix)/**", method: method) { request, context in
                // Only sign-in counts failures by address; the dynamic cast is not free on every request.
                let address =
                    request.uri.path.hasPrefix(Self.authPrefix)
                    ? (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress : nil
                return await respond(to: request, address: address, logger: context.logger)
            }
        }
    }

    func respond(to request: Request, address: String?, logger: Logger) async -> Response {
        do {
            return try await dispatch(request, address: address)
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

    private func dispatch(_ request: Request, address: String?) async throws -> Response {
        let path = request.uri.path.dropFirst(Self.prefix.count + 1)
        let segments = RESTPath.segments(of: path)
        let input = RESTRequest(request: request, limits: limits)
        let caller = try await service.accounts.authenticate(
            authorization: request.headers[.authorization],
            channel: "rest"
        )
        // HEAD reads like GET (the router drops the body); it never runs an action.
        let method = request.method == .head ? HTTPRequest.Method.get : request.method
        if AccountEndpoints.handles(segments) {
            return try await AccountEndpoints(accounts: service.accounts, caller: caller, address: address)
                .respond(to: segments, method: method, input: input)
        }
        if segments == [ChangesEndpoint.segment] {
            return try await ChangesEndpoint(service: service, caller: caller).respond(to: method, input: input)
        }
        switch try RESTPath.resolve(segments, in: service.schema) {
        case .collection(let collection):
            return try await CollectionEndpoint(service: service, collection: collection, caller: caller)
                .respond(to: method, input: input)
        case .entity(let collection, let id):
            return try await ResourceEndpoint(service: service, collection: collection, id: id, caller: caller)
                .respond(to: method, input: input)
        case .entityAccess(let collection, let id, let user):
            return try await AccessEndpoint(
                service: service,
                collection: collection,
                id: id,
                user: user,
                caller: caller
            )
            .respond(to: method, input: input)
        case .entityFile(let collection, let id, let sha256):
            guard method == .get else { throw RESTError.methodNotAllowed(request.method, allowed: [.get]) }
            return try await files.download(request, collection: collection, id: id, sha256: sha256, as: caller)
        case let operation:
            // The method as sent: HEAD reads a function like GET, but never runs an action.
            let endpoint = OperationEndpoint(service: service, caller: caller, input: input)
            guard let response = try await endpoint.respond(to: operation, method: request.method) else {
                throw RESTError(.notFound, "NOT_FOUND", "no such resource")
            }
            return response
        }
    }
}
