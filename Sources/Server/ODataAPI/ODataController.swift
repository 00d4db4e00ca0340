import EntityModel
import EntityQuery
import EntityService
import HTTPTypes
import Hummingbird
import Logging

/// The OData v4 API under `/odata/`: every collection an entity set, over the same store, rights
/// and change log as `/api/v1`.
///
/// The HTTP layer only collects the body (within `--max-body-size`) and authenticates; an
/// ``ODataExchange`` does the rest, so a request inside a `$batch` runs exactly the same code.
struct ODataController<Context: RequestContext>: Sendable {
    static var prefix: String { "/odata" }

    let service: EntityService
    let limits: RESTLimits
    let metadata: ODataMetadata

    init(service: EntityService, limits: RESTLimits) throws(SchemaError) {
        self.service = service
        self.limits = limits
        self.metadata = try ODataMetadata(schema: service.schema)
    }

    func addRoutes(to router: Router<Context>) {
        // MERGE (OData 2's PATCH), TRACE and CONNECT are routed too, so that they get 405 in OData's
        // error format rather than another API's 404.
        let others = ["MERGE", "TRACE", "CONNECT"].compactMap { HTTPRequest.Method($0) }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .options] + others {
            for path in [Self.prefix, "\(Self.prefix)/**"] {
                router.on(RouterPath(path), method: method) { request, context in
                    await respond(to: request, logger: context.logger)
                }
            }
            // `$metadata` is what clients fetch first and often: an anonymous GET without query options
            // is answered from the prebuilt document, without the URL parser. The rest (credentials
            // to check, `$format`, other methods) takes the general path.
            router.on(RouterPath("\(Self.prefix)/$metadata"), method: method) { request, context in
                if request.method == .get, request.uri.query == nil, request.headers[.authorization] == nil,
                    let response = metadataDocument(request)
                {
                    return response
                }
                return await respond(to: request, logger: context.logger)
            }
        }
    }

    func respond(to request: Request, logger: Logger) async -> Response {
        var version = ODataVersion.v4
        let answer: ODataResponse
        do {
            version = try ODataVersion.negotiate(
                maxVersion: request.headers[.odataMaxVersion],
                version: request.headers[.odataVersion]
            )
            answer = try await dispatch(request, version: version, logger: logger)
        } catch {
            if !(error is ODataError || error is EntityError || error is ODataQueryError) {
                logger.error("unexpected error", metadata: ["error": "\(error)"])
            }
            answer = .failure(error, version: version)
        }
        return Response(
            status: answer.status,
            headers: answer.headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    /// `GET /odata/$metadata` from the prebuilt document; `nil` when the OData version headers are
    /// refused, so that the general path answers with the error.
    private func metadataDocument(_ request: Request) -> Response? {
        guard
            let version = try? ODataVersion.negotiate(
                maxVersion: request.headers[.odataMaxVersion],
                version: request.headers[.odataVersion]
            )
        else { return nil }
        let answer = metadata.documentAnswer(
            json: false,
            acceptEncoding: request.headers[.acceptEncoding],
            ifNoneMatch: request.headers[.ifNoneMatch],
            version: version
        )
        return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: answer.body))
    }

    private func dispatch(_ request: Request, version: ODataVersion, logger: Logger) async throws -> ODataResponse {
        let full = request.uri.path
        guard full == Self.prefix || full.hasPrefix(Self.prefix + "/") else {
            throw ODataError(.notFound, "no OData resource at \(full)")
        }
        let path = String(full.dropFirst(min(full.count, Self.prefix.count + 1)))
        let body = try await collectBody(request)
        let caller = try await service.accounts.authenticate(
            authorization: request.headers[.authorization],
            channel: "odata"
        )
        let odataRequest = ODataRequest(
            method: request.method == .head ? .get : request.method,
            path: path,
            query: request.uri.query ?? "",
            headers: request.headers,
            body: body
        )
        let exchange = ODataExchange(
            service: service,
            metadata: metadata,
            limits: limits,
            caller: caller,
            serviceRoot: serviceRoot(of: request),
            version: version
        )
        return try await exchange.respond(to: odataRequest)
    }

    private func collectBody(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maximumBodySize {
            throw ODataError(
                .contentTooLarge,
                "the request body has \(length) bytes; the limit is \(limits.maximumBodySize) (--max-body-size)"
            )
        }
        do {
            let buffer = try await request.body.collect(upTo: limits.maximumBodySize)
            return Array(buffer.readableBytesView)
        } catch {
            throw ODataError(
                .contentTooLarge,
                "the request body is larger than the limit of \(limits.maximumBodySize) bytes (--max-body-size)"
            )
        }
    }

    /// `http://host:port/odata/`, from the request's `Host` (absolute links in answers).
    private func serviceRoot(of request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        let scheme = request.head.scheme ?? "http"
        return "\(scheme)://\(host)\(Self.prefix)/"
    }
}
