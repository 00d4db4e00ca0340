import EntityModel
import EntityQuery
import EntityService
import HTTPTypes

/// One OData request after authentication: parses the URL, resolves it, negotiates the format and
/// answers. Operations live in extensions, one file per group (metadata, reads, writes, operations,
/// batch). A request inside a `$batch` changeset carries the changeset, and its writes go there.
struct ODataExchange: Sendable {
    let service: EntityService
    let metadata: ODataMetadata
    let limits: RESTLimits
    let caller: Caller
    /// The absolute service root, ending in `/`.
    let serviceRoot: String
    let version: ODataVersion
    /// The changeset of the `$batch` part this request belongs to, if any.
    var changeset: ODataChangeset?
    /// In a `$batch`: where earlier requests created entities, by request id (for `$1` in bodies).
    var batchReferences: [String: String] = [:]

    init(
        service: EntityService,
        metadata: ODataMetadata,
        limits: RESTLimits,
        caller: Caller,
        serviceRoot: String,
        version: ODataVersion,
        changeset: ODataChangeset? = nil
    ) {
        self.service = service
        self.metadata = metadata
        self.limits = limits
        self.caller = caller
        self.serviceRoot = serviceRoot
        self.version = version
        self.changeset = changeset
    }

    var model: ODataModel { metadata.model }
    var parser: ODataParser { ODataParser(names: metadata.names) }

    func respond(to request: ODataRequest) async throws -> ODataResponse {
        do {
            return try await answer(request)
        } catch var error as ODataQueryError {
            if let option = error.option, !ODataOptionPosition.isOption(option, in: request.query) {
                // The parser reads `name=value` in a path (function parameters) like an option.
                error = ODataQueryError(
                    code: error.code,
                    message: error.message,
                    position: error.position,
                    token: error.token
                )
            }
            throw ODataError(
                error,
                position: ODataOptionPosition.decoded(error, path: request.path, query: request.query)
            )
        }
    }

    private func answer(_ request: ODataRequest) async throws -> ODataResponse {
        let text = request.query.isEmpty ? request.path : "\(request.path)?\(request.query)"
        let uri: ODataRelativeURI
        if request.query.isEmpty {
            // A bare path (`items('ID')`) parses faster than a cache lookup pays back.
            uri = try parser.parseRelativeURI(text)
        } else {
            let parser = self.parser
            uri = try metadata.parsedURIs.uri(for: text) { text throws(ODataQueryError) in
                try parser.parseRelativeURI(text)
            }
        }
        let options = try ODataQueryOptions(uri.options)
        try Self.refuseUnsupported(options)
        switch uri.resource {
        case .serviceDocument:
            try Self.allow(request.method, [.get])
            return try serviceDocument(request, options: options)
        case .metadata:
            try Self.allow(request.method, [.get])
            return metadataDocument(request, options: options)
        case .batch:
            try Self.allow(request.method, [.post])
            return try await batch(request)
        case .entity:
            throw ODataError.notImplemented("$entity")
        case .path(let segments):
            let resolver = ODataPathResolver(
                model: model,
                service: service,
                caller: caller,
                aliases: options.aliases,
                referencedID: options.id,
                changeset: changeset
            )
            let target = try await resolver.resolve(segments)
            return try await respond(to: request, target: target, options: options)
        }
    }

    private func respond(to request: ODataRequest, target: ODataTarget, options: ODataQueryOptions) async throws
        -> ODataResponse
    {
        switch (target, request.method) {
        case (.collection(let collection), .get):
            return try await readCollection(collection, request: request, options: options)
        case (.collection(let collection), .post):
            return try await create(in: collection, request: request)
        case (.collection, _):
            throw ODataError.methodNotAllowed(request.method, allowed: [.get, .post])
        case (.entity(let address), .get):
            return try await readEntity(address, request: request, options: options)
        case (.entity(let address), .patch), (.entity(let address), .put):
            return try await update(address, request: request)
        case (.entity(let address), .delete):
            return try await delete(address, request: request)
        case (.entity, _):
            throw ODataError.methodNotAllowed(request.method, allowed: [.get, .patch, .put, .delete])
        case (.missingEntity, .get):
            return .noContent(version: version)
        case (.missingEntity(let name), _):
            throw ODataError(.notFound, "navigation '\(name)' leads to no entity")
        case (.count(let collection), .get):
            return try await count(collection, request: request, options: options)
        case (.count, _):
            throw ODataError.methodNotAllowed(request.method, allowed: [.get])
        case (.property(let address, let property, let raw), .get):
            return try await readProperty(address, property, raw: raw, request: request)
        case (.property(let address, let property, let raw), .put),
            (.property(let address, let property, let raw), .patch):
            return try await writeProperty(address, property, raw: raw, request: request)
        case (.property(let address, let property, _), .delete):
            return try await deleteProperty(address, property, request: request)
        case (.property, _):
            throw ODataError.methodNotAllowed(request.method, allowed: [.get, .put, .patch, .delete])
        case (.references(let source, let navigation, let member), _):
            return try await references(source, navigation, member: member, request: request)
        case (.operation(let operation, let binding, let parameters), _):
            return try await invoke(operation, on: binding, parameters: parameters, request: request, options: options)
        case (.serviceDocument, _), (.metadata, _), (.batch, _):
            throw ODataError(.notFound, "no such resource")
        }
    }

    /// The JSON format of the answer, or 406.
    func format(for request: ODataRequest, options: ODataQueryOptions) throws -> ODataFormat {
        guard
            var format = ODataFormat.negotiate(
                format: options.format,
                accept: request.header(.accept),
                contentType: request.header(.contentType)
            )
        else {
            throw ODataError(
                .notAcceptable,
                "this resource is available as application/json (odata.metadata=minimal, full or none)"
            )
        }
        format.version = version
        return format
    }

    static func allow(_ method: HTTPRequest.Method, _ allowed: [HTTPRequest.Method]) throws {
        guard allowed.contains(method) else { throw ODataError.methodNotAllowed(method, allowed: allowed) }
    }

    /// `$apply`, `$compute` and the rest EntityHub parses but does not implement: 501.
    static func refuseUnsupported(_ options: ODataQueryOptions) throws {
        if options.apply != nil { throw ODataError.notImplemented("$apply") }
        if options.compute != nil { throw ODataError.notImplemented("$compute") }
        if options.deltatoken != nil { throw ODataError.notImplemented("$deltatoken") }
        if options.index != nil { throw ODataError.notImplemented("$index") }
        if options.schemaversion != nil { throw ODataError.notImplemented("$schemaversion") }
    }

    /// `R/$metadata#…`: the context URL of an answer.
    func context(_ fragment: String) -> String {
        "\(serviceRoot)$metadata#\(fragment)"
    }
}
