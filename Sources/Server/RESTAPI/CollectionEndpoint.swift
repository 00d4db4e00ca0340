import EntityModel
import EntityQuery
import EntityService
import EntityStore
import HTTPTypes
import Hummingbird

/// `[namespace/]collection`: list (GET), create or bulk create (POST), bulk update (PUT),
/// bulk delete (DELETE).
struct CollectionEndpoint {
    let service: EntityService
    let collection: CollectionPath
    let caller: Caller

    static let allowed: [HTTPRequest.Method] = [.get, .post, .put, .delete]

    func respond(to method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        switch method {
        case .get: return try await list(input)
        case .post: return try await create(input)
        case .put: return try await bulkUpdate(input)
        case .delete: return try await bulkDelete(input)
        default: throw RESTError.methodNotAllowed(method, allowed: Self.allowed)
        }
    }

    private func list(_ input: RESTRequest) async throws -> Response {
        var query = try input.listQuery(defaultLimit: service.configuration.defaultPageSize)
        query.countsTotal = !input.prefersNoCount
        return Self.listResponse(try await service.list(query, in: collection, as: caller), for: query)
    }

    /// A page of a list as the Connect protocol answers it: the entities, `Content-Range` with the total.
    static func listResponse(_ page: QueryPage, for query: Query) -> Response {
        let first = query.offset
        let last = page.entities.isEmpty ? first : first + page.entities.count - 1
        var headers = HTTPFields()
        headers[.contentRange] = "items \(first)-\(last)/\(page.total.map(String.init) ?? "*")"
        if !query.countsTotal { headers[.preferenceApplied] = "count=none" }
        return JSONResponse.entities(page.entities, headers: headers)
    }

    private func create(_ input: RESTRequest) async throws -> Response {
        let body = try await input.jsonBody() ?? .object([:])
        let key = try input.idempotencyKey(body: body)
        switch body {
        case .array(let documents):
            let created = try await service.perform(
                documents.map(BatchOperation.create),
                in: collection,
                as: caller,
                idempotencyKey: key
            )
            return JSONResponse.entities(created.compactMap { $0 }, status: .created)
        case let document:
            let entity = try await service.create(document, in: collection, as: caller, idempotencyKey: key)
            var headers = HTTPFields()
            headers[.location] =
                "\(RESTController<EntityHubRequestContext>.prefix)/\(collection.rawValue)/\(RESTPath.encoded(entity.id))"
            return JSONResponse.entity(entity, status: .created, headers: headers)
        }
    }

    private func bulkUpdate(_ input: RESTRequest) async throws -> Response {
        let items = try await arrayBody(input, verb: "update")
        var operations: [BatchOperation] = []
        for (index, item) in items.enumerated() {
            let itemID = try identifier(of: item, at: index)
            operations.append(.update(id: itemID, fields: item))
        }
        let updated = try await service.perform(
            operations,
            in: collection,
            as: caller,
            idempotencyKey: try input.idempotencyKey(body: .array(items))
        )
        return JSONResponse.entities(updated.compactMap { $0 })
    }

    private func bulkDelete(_ input: RESTRequest) async throws -> Response {
        let items = try await arrayBody(input, verb: "delete")
        var operations: [BatchOperation] = []
        for (index, item) in items.enumerated() {
            let itemID = try identifier(of: item, at: index)
            operations.append(.delete(id: itemID))
        }
        _ = try await service.perform(
            operations,
            in: collection,
            as: caller,
            idempotencyKey: try input.idempotencyKey(body: .array(items))
        )
        return Response(status: .noContent)
    }

    private func arrayBody(_ input: RESTRequest, verb: String) async throws -> [JSON] {
        guard case .array(let items) = try await input.jsonBody() else {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                "to \(verb) several entities send a JSON array of objects with an id; to \(verb) one, use its URL"
            )
        }
        return items
    }

    /// The id of a bulk item: an object's `id` member, or the item itself when it is a string.
    private func identifier(of item: JSON, at index: Int) throws(RESTError) -> String {
        if case .string(let id) = item { return id }
        guard case .string(let id) = item["id"] else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "item \(index): expected an object with a string id")
        }
        return id
    }
}
