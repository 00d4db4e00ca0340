import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

/// SQLite-specific filter behaviour; the filter semantics are checked by `ConformanceTests`.
@Suite struct FilterTests {
    @Test(arguments: StoreKind.allCases)
    func aKeyWithADoubleQuoteIsAnInvalidQuery(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("A", object(#"{"a.b":1,"x\"y":3}"#)))])
        // SQLite's JSON paths cannot quote a `"` inside a key: the query fails cleanly instead.
        let error = await #expect(throws: StoreError.self) {
            try await store.ids(.compare(FieldPath([#"x"y"#]), .eq, lit("1")))
        }
        #expect(error?.code == .invalidQuery)
    }
}
