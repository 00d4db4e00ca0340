import EntityModel
import EntityService
import EntityStore
import Foundation
import TestStores

/// The schema shared by every test suite (and the Python client tests): the products with a
/// pattern id, typed fields and actions, a namespace with a nested collection, and `items` without rules.
let sharedSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/schema.json")

/// Runs `body` with a service over a fresh store of `backend` (the shared schema unless `schema` is given).
func withService(
    _ backend: StoreBackend,
    schema: Schema? = nil,
    wrap: (any EntityStore) -> any EntityStore = { $0 },
    _ body: (EntityService) async throws -> Void
) async throws {
    try await backend.withFreshStore { store in
        let service = try EntityService(store: wrap(store), schema: try schema ?? Schema(contentsOf: sharedSchemaURL))
        try await service.prepareStore()
        try await body(service)
    }
}

let products = CollectionPath("products")
let caller = Caller(userID: "alice", channel: "test")
