import EntityModel
import EntityQuery
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

/// What only a database file can show; everything else a store must do is checked by
/// `ConformanceTests` (EntityStoreTestKit).
@Suite struct WriteTests {
    @Test func fileStoreKeepsDataAcrossReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString).sqlite")
            .path
        do {
            let store = try SQLiteEntityStore(path: path)
            try await store.prepare(
                for: Schema(collections: ["products": CollectionSchema(indexes: ["status"], searchFields: ["title"])])
            )
            try await store.apply([.insert(entity("A", ["title": "Lamp", "note": "hidden"]))])
        }
        let reopened = try SQLiteEntityStore(path: path)
        #expect(try await reopened.get("A", in: products)?.values["title"] == "Lamp")
        // The search fields of the last prepare still apply before the next one.
        try await reopened.apply([.insert(entity("B", ["title": "Desk", "note": "lamp"]))])
        #expect(try await reopened.ids(Query(search: "lamp")) == ["A"])
    }
}
