import EntityModel
import EntityService
import HTTPTypes
import Hummingbird
import NGSILD

/// One NGSI-LD request that passed the checks of the HTTP layer: what it asks for, who asks, and
/// how to answer. The operations live in extensions, one file per group of routes.
struct NGSILDExchange: Sendable {
    let request: Request
    let method: HTTPRequest.Method
    let route: NGSILDRoute
    let parameters: NGSILDParameters
    /// The body's media type (POST, PATCH, PUT).
    let bodyType: NGSILDMediaType?
    /// The media type of the answer, negotiated from `Accept`.
    let answerType: NGSILDMediaType
    let caller: Caller
    let service: EntityService
    let settings: NGSILDSettings
    let contexts: NGSILDContexts
    /// The `@context` URL of the request's `Link` header, if any.
    let linkedContext: String?
    let collection: CollectionPath

    init<Context>(
        request: Request,
        method: HTTPRequest.Method,
        route: NGSILDRoute,
        parameters: NGSILDParameters,
        bodyType: NGSILDMediaType?,
        answerType: NGSILDMediaType,
        caller: Caller,
        controller: NGSILDController<Context>
    ) throws(NGSILDProblem) {
        self.request = request
        self.method = method
        self.route = route
        self.parameters = parameters
        self.bodyType = bodyType
        self.answerType = answerType
        self.caller = caller
        self.service = controller.service
        self.settings = controller.settings
        self.contexts = controller.contexts
        self.linkedContext = try NGSILDContextSource.linkedContext(request.headers[values: .link])
        self.collection = CollectionPath(controller.settings.collection)
    }

    func respond() async throws -> Response {
        switch (route, method) {
        case (.entities, .get): return try await queryEntities()
        case (.entities, .post): return try await createEntity()
        case (.entities, _): return try await purgeEntities()
        case (.entity(let id), .get): return try await retrieveEntity(id)
        case (.entity(let id), .delete): return try await deleteEntity(id)
        case (.entity(let id), .put): return try await replaceEntity(id)
        case (.entity(let id), _): return try await mergeEntity(id)
        case (.attributes(let id), .post): return try await appendAttributes(id)
        case (.attributes(let id), _): return try await updateAttributes(id)
        case (.attribute(let id, let name), .patch): return try await partiallyUpdateAttribute(name, of: id)
        case (.attribute(let id, let name), .put): return try await replaceAttribute(name, of: id)
        case (.attribute(let id, let name), _): return try await deleteAttribute(name, of: id)
        case (.query, _): return try await queryByPost()
        case (.batch(let kind), _): return try await batch(kind)
        case (.types, _): return try await listTypes()
        case (.type(let name), _): return try await describeType(name)
        }
    }

    // MARK: Request context and bodies

    /// The context of a request without a body (GET, DELETE): the `Link` header, else the core (§2.3).
    func linkContext() async throws(NGSILDProblem) -> (ActiveContext, NGSILDContextSource) {
        let given = linkedContext.map(JSON.string)
        do {
            return (try await contexts.activeContext(for: given), NGSILDContextSource(given: given))
        } catch {
            throw NGSILDProblem(error)
        }
    }

    /// The `@context` a body brings, by the rules of §2.3, with the member removed from the body.
    ///
    /// `application/json`: the `Link` header or the core, and a body `@context` is an error;
    /// `application/ld+json`: the body's `@context`, required, and a `Link` header is an error
    /// (checked once per request by ``requireNoLinkWithLD()``).
    func bodyContext(of body: JSON, required: Bool = true) throws(NGSILDProblem) -> (given: JSON?, body: JSON) {
        guard case .object(var members) = body else { return (nil, body) }
        let context = members.removeValue(forKey: "@context")
        switch bodyType {
        case .jsonLD?:
            if context == nil, required {
                throw NGSILDProblem(
                    .badRequestData,
                    "@context: an application/ld+json body must carry its @context"
                )
            }
            return (context, .object(members))
        default:
            if context != nil {
                throw NGSILDProblem(
                    .badRequestData,
                    "@context: an application/json body must not carry @context; send it in a Link header"
                )
            }
            return (linkedContext.map(JSON.string), .object(members))
        }
    }

    /// ld+json bodies take their context from the body only: a context `Link` header is an error.
    func requireNoLinkWithLD() throws(NGSILDProblem) {
        if bodyType == .jsonLD, linkedContext != nil {
            throw NGSILDProblem(
                .badRequestData,
                "Link: an application/ld+json request carries its @context in the body, not in a Link header"
            )
        }
    }

    /// The active context of a `@context` value.
    func activeContext(for given: JSON?, instance: String? = nil) async throws(NGSILDProblem) -> ActiveContext {
        do { return try await contexts.activeContext(for: given) } catch {
            throw NGSILDProblem(error, instance: instance)
        }
    }

    /// The one JSON body of a single-entity request (400 InvalidRequest when it is not JSON).
    func jsonBody() async throws(NGSILDProblem) -> JSON {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.maximumBodySize {
            throw NGSILDProblem(
                .contentTooLarge,
                "the request body has \(length) bytes; the limit is \(settings.maximumBodySize)"
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maximumBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw NGSILDProblem(
                .contentTooLarge,
                "the request body is larger than the limit of \(settings.maximumBodySize) bytes"
            )
        } catch {
            throw NGSILDProblem(.invalidRequest, "the request body could not be read")
        }
        do {
            return try JSONParser(maximumDepth: settings.maximumJSONDepth).parse(buffer.readableBytesView)
        } catch {
            throw NGSILDProblem(.invalidRequest, "request body: \(error.description)")
        }
    }

    /// A JSON object body (400 InvalidRequest for any other JSON).
    func objectBody() async throws(NGSILDProblem) -> JSON {
        let body = try await jsonBody()
        guard case .object = body else {
            throw NGSILDProblem(.invalidRequest, "the body must be a JSON object, found \(body.typeName)")
        }
        return body
    }
}
