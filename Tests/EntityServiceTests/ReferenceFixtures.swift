import EntityModel
import EntityService
import Foundation
import TestStores

/// The schema of the OData additions: categories, products referencing them (restrict), notes
/// referencing categories and each other (setNull), actions and functions with parameters.
let referenceSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/odata-schema.json")

/// Runs `body` with a service over a fresh store of `backend` with the OData schema.
func withReferenceService(_ backend: StoreBackend, _ body: (EntityService) async throws -> Void) async throws {
    try await withService(backend, schema: try Schema(contentsOf: referenceSchemaURL), body)
}

let categories = CollectionPath("categories")
let notes = CollectionPath("notes")

/// A caller for a new user `name` (a user record exists, so that grants can name them).
func signedUp(_ name: String, in service: EntityService) async throws -> Caller {
    let admin = Caller.user("root", isAdmin: true, channel: "test")
    return .user(
        try await service.accounts.addUser(name: name, password: nil, isAdmin: false, as: admin),
        channel: "test"
    )
}
