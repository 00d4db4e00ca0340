import EntityModel
import EntityService
import Foundation
import SQLiteEntityStore

/// The schema shared by every test suite (and the Python client tests): the products with a
/// pattern id, typed fields and actions, a namespace with a nested collection, and `items` without rules.
let sharedSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/schema.json")

func makeService(schema: Schema? = nil) async throws -> EntityService {
    let store = try SQLiteEntityStore.inMemory()
    let service = try EntityService(store: store, schema: try schema ?? Schema(contentsOf: sharedSchemaURL))
    try await service.prepareStore()
    return service
}

let products = CollectionPath("products")
let caller = Caller(userID: "alice", channel: "test")
