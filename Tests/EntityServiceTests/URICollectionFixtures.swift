import EntityModel
import EntityService
import EntityStore
import Foundation
import TestStores

/// The shared schema plus collections of IRI ids: `rooms` (private, with a required `name`), `boards`
/// (public-read) and `broker` (an open broker: anyone reads, creates and writes), and `team` (URL-safe
/// ids, written by every signed-in user).
func uriSchema() throws -> Schema {
    var schema = try Schema(contentsOf: sharedSchemaURL)
    schema.collections["rooms"] = CollectionSchema(
        fields: ["name": FieldSchema(type: .string, isRequired: true)],
        ids: .uri
    )
    schema.collections["boards"] = CollectionSchema(access: CollectionAccess(read: .publicRead), ids: .uri)
    schema.collections["broker"] = CollectionSchema(
        access: CollectionAccess(read: .publicRead, create: .anyone, write: .anyone),
        ids: .uri
    )
    schema.collections["team"] = CollectionSchema(access: CollectionAccess(write: .authenticated))
    return schema
}

/// Runs `body` with a service of ``uriSchema()`` over a fresh store of `backend`, seen through `wrap`.
func withURIService(
    _ backend: StoreBackend,
    wrap: @escaping (any EntityStore) -> any EntityStore = { $0 },
    _ body: (EntityService) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        let service = try EntityService(store: wrap(store), schema: try uriSchema())
        try await service.prepareStore()
        try await body(service)
    }
}

let rooms = CollectionPath("rooms")
let boards = CollectionPath("boards")
let broker = CollectionPath("broker")
let team = CollectionPath("team")
let bob = Caller(userID: "bob", channel: "test")
let anonymous = Caller.anonymous(channel: "test")

extension Result where Success == Entity?, Failure == EntityError {
    /// The error's code, or `nil` for a success.
    var errorCode: EntityError.Code? {
        guard case .failure(let error) = self else { return nil }
        return error.code
    }

    /// The written entity of a success (`nil` for a failure or a delete).
    var entity: Entity? {
        guard case .success(let entity) = self else { return nil }
        return entity
    }
}
