import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore
import Testing

@Suite struct SearchTests {
    func makeStore(_ kind: StoreKind) async throws -> SQLiteEntityStore {
        let store = try kind.makeStore()
        try await store.apply([
            .insert(entity("A", ["title": "Crème brûlée", "body": "A French dessert", "code": 7])),
            .insert(entity("B", ["title": "Creamy soup", "body": "Tomato AND basil (hot)"])),
            .insert(entity("C", ["title": "Say \"hello\"", "body": "quote*star"])),
            .insert(entity("D", ["other": ["creme"], "n": 1])),
        ])
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func termsArePrefixesAndAllMustMatch(kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        #expect(try await store.ids(Query(search: "cre")) == ["A", "B"])
        #expect(try await store.ids(Query(search: "creme")) == ["A"])  // diacritics removed
        #expect(try await store.ids(Query(search: "CRÈ  dess")) == ["A"])
        #expect(try await store.ids(Query(search: "cre tomato")) == ["B"])
        #expect(try await store.ids(Query(search: "cre xyz")).isEmpty)
        #expect(try await store.ids(Query(search: "ream")).isEmpty)  // a prefix, not a substring
        #expect(try await store.ids(Query(search: "   ")).count == 4)
        let page = try await store.query(Query(search: "cre", limit: 1), in: products)
        #expect(page.entities.map(\.id) == ["A"] && page.total == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func userInputIsNeverSearchSyntax(kind: StoreKind) async throws {
        let store = try await makeStore(kind)
        #expect(try await store.ids(Query(search: "\"hello\"")) == ["C"])
        #expect(try await store.ids(Query(search: "quote*star")) == ["C"])
        #expect(try await store.ids(Query(search: "AND")) == ["B"])
        #expect(try await store.ids(Query(search: "tomato AND (hot")) == ["B"])
        #expect(try await store.ids(Query(search: "NEAR(tomato basil)")).isEmpty)
        #expect(try await store.ids(Query(search: "* ( \" ) :")).count == 4)
        #expect(try await store.ids(Query(search: "title:creamy")).isEmpty)
        #expect(try await store.ids(Query(search: "a\"\"b -c ^d")) == ["A"])  // words a, b, c, d
    }

    @Test(arguments: StoreKind.allCases)
    func searchIndexFollowsWritesAndDeclaredFields(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(
            for: Schema(collections: ["products": CollectionSchema(searchFields: ["title", "meta.tag"])])
        )
        try await store.apply([
            .insert(entity("A", object(#"{"title":"Lamp","body":"desk","meta":{"tag":"office"}}"#))),
            .insert(entity("B", object(#"{"title":"Chair","body":"lamp"}"#))),
        ])
        #expect(try await store.ids(Query(search: "lamp")) == ["A"])
        #expect(try await store.ids(Query(search: "off")) == ["A"])
        #expect(try await store.ids(Query(search: "desk")).isEmpty)
        try await store.apply([.update(entity("A", ["title": "Table"], version: 2), expectedVersion: 1)])
        #expect(try await store.ids(Query(search: "lamp")).isEmpty)
        #expect(try await store.ids(Query(search: "tab")) == ["A"])
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: nil)])
        #expect(try await store.ids(Query(search: "tab")).isEmpty)
        // Changing the declared fields re-indexes what is stored.
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(searchFields: ["body"])]))
        #expect(try await store.ids(Query(search: "lamp")) == ["B"])
        #expect(try await store.ids(Query(search: "chair")).isEmpty)
        try await store.prepare(for: .open)
        #expect(try await store.ids(Query(search: "chair lamp")) == ["B"])
    }
}
