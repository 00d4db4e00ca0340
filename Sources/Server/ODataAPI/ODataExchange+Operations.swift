import EntityModel
import EntityQuery
import EntityService
import HTTPTypes

extension ODataExchange {
    /// Runs a schema action (POST) or function (GET), bound or unbound; the other method is 405.
    func invoke(
        _ operation: ODataOperation,
        on binding: ODataOperationBinding,
        parameters expressions: [String: ODataExpression],
        request: ODataRequest,
        options: ODataQueryOptions
    ) async throws -> ODataResponse {
        switch operation.kind {
        case .action:
            try Self.allow(request.method, [.post])
            let members =
                request.body.isEmpty ? [:] : try bodyReader(for: bindingCollection(binding).type).object(of: request)
            let parameters = try ODataParameterValues.fromBody(members, operation: operation)
            return try await runAction(operation, on: binding, parameters: parameters, request: request)
        case .function:
            try Self.allow(request.method, [.get])
            var written = expressions
            for (name, value) in options.parameters where written[name] == nil { written[name] = value }
            let parameters = try ODataParameterValues.fromURL(written, operation: operation, aliases: options.aliases)
            return try await callFunction(
                operation,
                on: binding,
                parameters: parameters,
                request: request,
                options: options
            )
        }
    }

    private func runAction(
        _ operation: ODataOperation,
        on binding: ODataOperationBinding,
        parameters: [String: JSON],
        request: ODataRequest
    ) async throws -> ODataResponse {
        switch binding {
        case .entity(let address) where changeset != nil:
            let entity = try await changeset!.runAction(
                operation.name,
                on: address.id,
                parameters: parameters,
                in: address.collection.path
            )
            return try entityAnswer(entity, in: address.collection, request: request)
        case .entity(let address):
            let entity = try await service.runAction(
                operation.name,
                on: address.id,
                parameters: parameters,
                in: address.collection.path,
                as: caller
            )
            return try entityAnswer(entity, in: address.collection, request: request)
        case .collection(let collection):
            let count = try await service.runCollectionAction(
                operation.name,
                parameters: parameters,
                filter: collection.constraint,
                in: collection.path,
                as: caller
            )
            return try primitiveAnswer(.integer(Int64(count)), type: .int64, request: request)
        case .unbound:
            let count = try await service.runTopLevelAction(
                operation.name,
                parameters: parameters,
                filter: nil,
                as: caller
            )
            return try primitiveAnswer(.integer(Int64(count)), type: .int64, request: request)
        }
    }

    private func callFunction(
        _ operation: ODataOperation,
        on binding: ODataOperationBinding,
        parameters: [String: JSON],
        request: ODataRequest,
        options: ODataQueryOptions
    ) async throws -> ODataResponse {
        if case .entity(let address) = binding {
            let passes = try await service.testFunction(
                operation.name,
                on: address.id,
                parameters: parameters,
                in: address.collection.path,
                as: caller
            )
            return try primitiveAnswer(.bool(passes), type: .boolean, request: request)
        }
        var collection = bindingCollection(binding)
        let filter: Filter
        if case .unbound = binding {
            filter = try service.topLevelFunctionFilter(operation.name, parameters: parameters).filter
        } else {
            filter = try service.functionFilter(operation.name, parameters: parameters, in: collection.path)
        }
        collection.constraint = collection.constraint.map { .and([$0, filter]) } ?? filter
        if operation.effect == .countMatches {
            let page = try await service.list(
                Query(filter: collection.constraint, limit: 0, countsTotal: true),
                in: collection.path,
                as: caller
            )
            return try primitiveAnswer(.integer(Int64(page.total ?? 0)), type: .int64, request: request)
        }
        return try await readCollection(collection, request: request, options: options)
    }

    private func bindingCollection(_ binding: ODataOperationBinding) -> ODataEntityCollection {
        switch binding {
        case .entity(let address): return address.collection
        case .collection(let collection), .unbound(let collection): return collection
        }
    }

    /// `{"@odata.context": "…$metadata#Edm.Int64", "value": 3}`.
    func primitiveAnswer(_ value: JSON, type: ODataPrimitive, request: ODataRequest) throws -> ODataResponse {
        try valueAnswer(value, type: .primitive(type), context: type.rawValue, request: request)
    }

    /// `{"@odata.context": "…$metadata#<context>", "value": …}`: a property or an operation's result.
    func valueAnswer(
        _ value: JSON,
        type: ODataType,
        context fragment: String,
        request: ODataRequest,
        headers: HTTPFields = [:]
    ) throws -> ODataResponse {
        let format = try format(for: request, options: ODataQueryOptions())
        var output: [UInt8] = []
        var members = MemberWriter()
        output.append(UInt8(ascii: "{"))
        if format.metadata != .none {
            members.add("\(format.annotationPrefix)context", to: &output)
            JSON.writeString(context(fragment), into: &output)
        }
        members.add("value", to: &output)
        ODataValueWriter(model: model, format: format).write(value, as: type, into: &output)
        output.append(UInt8(ascii: "}"))
        return .json(.ok, output, format: format, headers: headers)
    }

    /// One entity with its `ETag`: an operation's result, or the representation of a write.
    func entityAnswer(
        _ entity: Entity,
        in collection: ODataEntityCollection,
        status: HTTPResponse.Status = .ok,
        request: ODataRequest,
        headers: HTTPFields = [:]
    ) throws -> ODataResponse {
        let format = try format(for: request, options: ODataQueryOptions())
        var output: [UInt8] = []
        ODataEntityWriter(model: model, format: format, serviceRoot: serviceRoot).write(
            tree(entity, in: collection, selection: nil),
            context: context("\(collection.canonicalPrefix)/$entity"),
            into: &output
        )
        var fields = headers
        fields[.eTag] = ETag.header(for: entity.version)
        return .json(status, output, format: format, headers: fields)
    }
}
