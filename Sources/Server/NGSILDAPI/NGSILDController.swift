import EntityModel
import EntityService
import HTTPTypes
import Hummingbird
import Logging
import NGSILD

/// Settings of the NGSI-LD API.
public struct NGSILDSettings: Sendable {
    /// The EntityHub collection NGSI-LD entities live in. Default `ngsild`.
    public var collection: String
    /// Loads user `@context` documents (preloaded files first, then the network, cached).
    public var contextLoader: any ContextLoader
    /// Largest request body accepted, in bytes. Default 64 MiB (a batch of 10,000 entities fits).
    public var maximumBodySize: Int
    /// Deepest nesting accepted in a body. Default 64.
    public var maximumJSONDepth: Int

    public init(
        collection: String = "ngsild",
        contextLoader: any ContextLoader = CachingContextLoader(wrapping: HTTPContextLoader()),
        maximumBodySize: Int = 64 * 1024 * 1024,
        maximumJSONDepth: Int = 64
    ) {
        self.collection = collection
        self.contextLoader = contextLoader
        self.maximumBodySize = maximumBodySize
        self.maximumJSONDepth = maximumJSONDepth
    }
}

/// The NGSI-LD API under `/ngsi-ld/v1`: wire format in, ``EntityService`` calls, wire format out.
///
/// Every request passes the checks of §1 in order: route and method (405), body media type (415,
/// 411), `Accept` (406), URL parameters (400/422), then credentials, JSON, `@context`, validity and
/// existence.
struct NGSILDController<Context: RequestContext>: Sendable {
    let service: EntityService
    let settings: NGSILDSettings
    let contexts: NGSILDContexts

    init(service: EntityService, settings: NGSILDSettings) {
        self.service = service
        self.settings = settings
        self.contexts = NGSILDContexts(loader: settings.contextLoader)
    }

    func addRoutes(to router: Router<Context>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .options] {
            for path in [NGSILDRoute.prefix, "\(NGSILDRoute.prefix)/**"] {
                router.on(RouterPath(path), method: method) { request, context in
                    await respond(to: request, logger: context.logger)
                }
            }
        }
    }

    func respond(to request: Request, logger: Logger) async -> Response {
        do {
            return try await dispatch(request)
        } catch let problem as NGSILDProblem {
            return problem.response()
        } catch let error as EntityError {
            return NGSILDProblem(error).response()
        } catch let error as NGSILDError {
            return NGSILDProblem(error).response()
        } catch {
            logger.error("unexpected error", metadata: ["error": "\(error)"])
            return NGSILDProblem(.internalError, "internal error").response()
        }
    }

    private func dispatch(_ request: Request) async throws -> Response {
        let path = request.uri.path.dropFirst(NGSILDRoute.prefix.count)
        guard let route = NGSILDRoute(path: path) else {
            throw NGSILDProblem(.resourceNotFound, "no NGSI-LD resource at \(request.uri.path)")
        }
        let method = request.method == .head ? HTTPRequest.Method.get : request.method
        guard route.allowedMethods.contains(method) else {
            throw NGSILDProblem.methodNotAllowed(request.method, allowed: route.allowedMethods)
        }
        if request.headers[.ngsildTenant] != nil {
            throw NGSILDProblem(.noMultiTenantSupport, "NGSILD-Tenant: EntityHub serves no tenants")
        }
        var bodyType: NGSILDMediaType?
        if [.post, .patch, .put].contains(method) {
            guard let type = NGSILDMediaType.ofBody(request.headers[.contentType], method: method) else {
                return Response(status: .unsupportedMediaType)
            }
            bodyType = type
            if request.headers[.contentLength] == nil, request.headers[.transferEncoding] == nil {
                throw NGSILDProblem(.lengthRequired, "a request body needs Content-Length")
            }
        }
        let accept = request.headers[values: .accept].joined(separator: ",")
        guard
            let answerType = NGSILDMediaType.negotiate(
                accept.isEmpty ? nil : accept,
                offeringGeoJSON: route.offersGeoJSON && method != .delete
            )
        else {
            throw NGSILDProblem(
                .notAcceptable,
                "Accept: this resource is available as application/json or application/ld+json"
                    + (route.offersGeoJSON ? " or application/geo+json" : "")
            )
        }
        let parameters = NGSILDParameters(query: request.uri.query)
        try parameters.check(accepting: route.acceptedParameters(for: method))
        let caller = try await service.accounts.authenticate(
            authorization: request.headers[.authorization],
            channel: "ngsi-ld"
        )
        let exchange = try NGSILDExchange(
            request: request,
            method: method,
            route: route,
            parameters: parameters,
            bodyType: bodyType,
            answerType: answerType,
            caller: caller,
            controller: self
        )
        return try await exchange.respond()
    }
}

extension HTTPField.Name {
    /// `NGSILD-Tenant`: tenants are not supported (501).
    static let ngsildTenant = HTTPField.Name("NGSILD-Tenant")!
    /// `NGSILD-Results-Count`: the number of matches of a query with `count=true`.
    static let ngsildResultsCount = HTTPField.Name("NGSILD-Results-Count")!
    /// `Link` (RFC 8288): the JSON-LD context of a request or answer, and paging links.
    static let link = HTTPField.Name("Link")!
}
