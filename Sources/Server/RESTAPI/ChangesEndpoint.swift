import EntityModel
import EntityService
import EntityStore
import HTTPTypes
import Hummingbird

/// `_changes?after=N&limit=M`: the change log as the caller may see it (for others than admins, the
/// latest change of each entity, read from their sync feed; a deletion or lost access is a `delete`),
/// `{"changes": [{"sequence": 7, "kind": "upsert", "collection": "products", "id": "…", "version": 2}], "next": 7}`.
/// Follow it by asking again with `after` = `next`.
struct ChangesEndpoint {
    static let segment = "_changes"

    let service: EntityService
    let caller: Caller

    func respond(to method: HTTPRequest.Method, input: RESTRequest) async throws -> Response {
        guard method == .get else { throw RESTError.methodNotAllowed(method, allowed: [.get]) }
        let parameters = input.request.uri.queryParameters
        let after = try Self.integer(parameters["after"], name: "after") ?? 0
        let limit = try Self.integer(parameters["limit"], name: "limit") ?? Int64(service.configuration.defaultPageSize)
        let page = try await service.changes(after: after, limit: Int(clamping: limit), as: caller)
        let changes = page.changes.map { change -> JSON in
            .object([
                "sequence": .integer(change.sequence),
                "kind": .string(change.kind.rawValue),
                "collection": .string(change.collection.rawValue),
                "id": .string(change.id),
                "version": .integer(change.version),
            ])
        }
        return JSONResponse.make(status: .ok, json: .object(["changes": .array(changes), "next": .integer(page.next)]))
    }

    /// A non-negative integer query parameter, or `nil` when absent.
    static func integer(_ text: Substring?, name: String) throws(RESTError) -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "\(name): expected a non-negative integer, found '\(text)'")
        }
        return value
    }
}
