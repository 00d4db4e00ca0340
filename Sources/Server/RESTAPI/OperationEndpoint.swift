import EntityModel
import EntityQuery
import EntityService
import HTTPTypes
import Hummingbird

/// The schema's actions and functions over REST:
///
/// | path | method | answer |
/// |---|---|---|
/// | `products/ID/reprice` (resource action) | POST (GET, PUT, DELETE) | the entity |
/// | `products/discontinue?RQL` (collection action) | POST (GET, PUT, DELETE) | `{"updated": N}` |
/// | `resetStock?RQL` (top-level action) | POST (GET, PUT, DELETE) | `{"updated": N}` |
/// | `products/ID/isCheap?max=3` (resource function) | GET | `{"value": true}` |
/// | `products/cheap?max=3&RQL` (collection function) | GET | the entities, as a list |
/// | `countCheap?max=3&RQL` (`"returns": "count"`) | GET | `{"count": N}` |
///
/// Action parameters come as a JSON object body; function parameters as `name=value` parts of the
/// query string (the other parts are RQL narrowing, ordering and paging the entities).
struct OperationEndpoint {
    let service: EntityService
    let caller: Caller
    let input: RESTRequest

    static let actionMethods: [HTTPRequest.Method] = [.get, .post, .put, .delete]
    static let functionMethods: [HTTPRequest.Method] = [.get]

    func respond(to path: RESTPath, method: HTTPRequest.Method) async throws -> Response? {
        switch path {
        case .entityAction(let collection, let id, let name):
            try Self.require(method, in: Self.actionMethods)
            let declared = service.schema.collection(at: collection)?.actions[name]?.parameters ?? [:]
            let entity = try await service.runAction(
                name,
                on: id,
                parameters: try await input.actionParameters(declared: declared),
                expectedVersion: try input.expectedVersion(),
                in: collection,
                as: caller
            )
            return JSONResponse.entity(entity)
        case .collectionAction(let collection, let name):
            try Self.require(method, in: Self.actionMethods)
            let declared = service.schema.collection(at: collection)?.actions[name]?.parameters ?? [:]
            let count = try await service.runCollectionAction(
                name,
                parameters: try await input.actionParameters(declared: declared),
                filter: try input.rql().filter,
                in: collection,
                as: caller
            )
            return Self.updated(count)
        case .topLevelAction(let name):
            try Self.require(method, in: Self.actionMethods)
            let count = try await service.runTopLevelAction(
                name,
                parameters: try await input.actionParameters(declared: service.schema.actions[name]?.parameters ?? [:]),
                filter: try input.rql().filter,
                as: caller
            )
            return Self.updated(count)
        case .entityFunction(let collection, let id, let name):
            try Self.require(method, in: Self.functionMethods)
            let declared = service.schema.collection(at: collection)?.functions[name]?.parameters ?? [:]
            let (parameters, _) = try input.functionInput(declared: declared, allParts: true)
            let value = try await service.testFunction(name, on: id, parameters: parameters, in: collection, as: caller)
            return JSONResponse.make(status: .ok, json: ["value": .bool(value)])
        case .collectionFunction(let collection, let name):
            try Self.require(method, in: Self.functionMethods)
            guard let function = service.schema.collection(at: collection)?.functions[name] else { return nil }
            let (parameters, rql) = try input.functionInput(declared: function.parameters, allParts: false)
            let filter = try service.functionFilter(name, parameters: parameters, in: collection)
            return try await answer(function, filter: filter, rql: rql, in: collection)
        case .topLevelFunction(let name):
            try Self.require(method, in: Self.functionMethods)
            guard let function = service.schema.functions[name] else { return nil }
            let (parameters, rql) = try input.functionInput(declared: function.parameters, allParts: false)
            let (collection, filter) = try service.topLevelFunctionFilter(name, parameters: parameters)
            return try await answer(function, filter: filter, rql: rql, in: collection)
        default:
            return nil
        }
    }

    /// The entities a collection function selects (narrowed, ordered and paged by the RQL), or their count.
    private func answer(_ function: FunctionSchema, filter: Filter, rql: RQLRequest, in collection: CollectionPath)
        async throws -> Response
    {
        var query = rql.query(defaultLimit: service.configuration.defaultPageSize)
        query.filter = query.filter.map { .and([filter, $0]) } ?? filter
        if function.returns == .count {
            query.limit = 0
            query.offset = 0
            let total = try await service.list(query, in: collection, as: caller).total ?? 0
            return JSONResponse.make(status: .ok, json: ["count": .integer(Int64(total))])
        }
        query.countsTotal = !input.prefersNoCount
        return CollectionEndpoint.listResponse(try await service.list(query, in: collection, as: caller), for: query)
    }

    private static func updated(_ count: Int) -> Response {
        JSONResponse.make(status: .ok, json: ["updated": .integer(Int64(count))])
    }

    /// Fails with 405 unless `method` is allowed; HEAD counts as GET for functions, which only read.
    private static func require(_ method: HTTPRequest.Method, in allowed: [HTTPRequest.Method]) throws(RESTError) {
        let reading = method == .head && allowed == functionMethods
        guard reading || allowed.contains(method) else { throw RESTError.methodNotAllowed(method, allowed: allowed) }
    }
}
