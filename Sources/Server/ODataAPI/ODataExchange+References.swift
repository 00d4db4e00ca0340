import EntityModel
import EntityQuery
import EntityService
import HTTPTypes

extension ODataExchange {
    /// `…/Nav/$ref`: read (GET), set (PUT, single-valued), add (POST, collection-valued) and remove
    /// (DELETE) links. A link is the reference field: on the source for single-valued navigations,
    /// on the member for collection-valued ones.
    func references(
        _ source: ODataEntityAddress,
        _ navigation: ODataNavigation,
        member: String?,
        request: ODataRequest
    ) async throws -> ODataResponse {
        guard let set = model.entitySet(named: navigation.target) else {
            throw ODataError.notImplemented("$ref of nested collections")
        }
        let target = ODataEntityCollection(path: set.collection, type: set.type, canonicalPrefix: navigation.target)
        switch (navigation.link, request.method) {
        case (.reference(let property), .get):
            let entity = try await service.get(source.id, in: source.collection.path, as: caller)
            guard let field = source.collection.type.property(named: property),
                let id = entity.value(at: field.path)?.stringValue
            else { return .noContent(version: version) }
            return try referenceAnswer([target.entityPath(id)], single: true, request: request)
        case (.reference(let property), .put):
            let id = try referencedID(in: request, target: navigation.target)
            _ = try await service.get(id, in: target.path, as: caller)
            try await setReference(of: source, property: property, to: .string(id), request: request)
            return .noContent(version: version)
        case (.reference(let property), .delete):
            try await setReference(of: source, property: property, to: .null, request: request)
            return .noContent(version: version)
        case (.inverse(let property), .get):
            guard let field = target.type.property(named: property) else { break }
            _ = try await service.get(source.id, in: source.collection.path, as: caller)
            let page = try await service.list(
                Query(
                    filter: .compare(field.path, .eq, .json(.string(source.id))),
                    limit: service.configuration.maximumPageSize,
                    countsTotal: false
                ),
                in: target.path,
                as: caller
            )
            return try referenceAnswer(page.entities.map { target.entityPath($0.id) }, single: false, request: request)
        case (.inverse(let property), .post):
            let id = try referencedID(in: request, target: navigation.target)
            _ = try await service.get(source.id, in: source.collection.path, as: caller)
            try await link(id, in: target, property: property, to: .string(source.id))
            return .noContent(version: version)
        case (.inverse(let property), .delete):
            guard let member else {
                throw ODataError(
                    .badRequest,
                    "name the member to unlink: …/\(navigation.name)/$ref?$id=\(navigation.target)('id')"
                )
            }
            let entity = try await service.get(member, in: target.path, as: caller)
            guard let field = target.type.property(named: property),
                entity.value(at: field.path) == .string(source.id)
            else { throw ODataError(.notFound, "\(target.entityPath(member)) is not linked to \(source.path)") }
            try await link(member, in: target, property: property, to: .null)
            return .noContent(version: version)
        case (.containment, _):
            throw ODataError.notImplemented("$ref of nested collections")
        default:
            break
        }
        throw ODataError.methodNotAllowed(
            request.method,
            allowed: navigation.isCollection ? [.get, .post, .delete] : [.get, .put, .delete]
        )
    }

    private func setReference(of source: ODataEntityAddress, property: String, to value: JSON, request: ODataRequest)
        async throws
    {
        guard let field = source.collection.type.property(named: property)?.path.components.first else { return }
        let condition = try precondition(request, collection: source.collection)
        _ = try await apply(
            .update(id: source.id, fields: .object([field: value]), expectedVersion: condition.version),
            in: source.collection.path
        )
    }

    private func link(_ id: String, in collection: ODataEntityCollection, property: String, to value: JSON) async throws
    {
        guard let field = collection.type.property(named: property)?.path.components.first else { return }
        _ = try await apply(.update(id: id, fields: .object([field: value])), in: collection.path)
    }

    /// The id in a `{"@odata.id": "categories('C1')"}` body, which must name an entity of `target`.
    private func referencedID(in request: ODataRequest, target: String) throws -> String {
        let members = try bodyReader(for: model.entitySet(named: target)!.type).object(of: request)
        guard let reference = (members["@odata.id"] ?? members["@id"])?.stringValue,
            let (set, id) = ODataPathResolver.setAndID(inReference: reference), set == target
        else {
            throw ODataError(.badRequest, "the body is {\"@odata.id\": \"\(target)('id')\"}", target: "@odata.id")
        }
        return id
    }

    private func referenceAnswer(_ paths: [String], single: Bool, request: ODataRequest) throws -> ODataResponse {
        let format = try format(for: request, options: ODataQueryOptions())
        let prefix = format.annotationPrefix
        var output: [UInt8] = []
        var members = MemberWriter()
        output.append(UInt8(ascii: "{"))
        if format.metadata != .none {
            members.add("\(prefix)context", to: &output)
            JSON.writeString(context(single ? "$ref" : "Collection($ref)"), into: &output)
        }
        if single {
            members.add("\(prefix)id", to: &output)
            JSON.writeString(serviceRoot + paths[0], into: &output)
        } else {
            members.add("value", to: &output)
            ODataEntityWriter(model: model, format: format, serviceRoot: serviceRoot).writeReferences(
                paths,
                into: &output
            )
        }
        output.append(UInt8(ascii: "}"))
        return .json(.ok, output, format: format)
    }
}
