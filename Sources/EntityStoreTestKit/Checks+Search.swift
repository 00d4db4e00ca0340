import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// A fresh store with four entities for the search checks.
    private static func searchStore(_ makeStore: StoreFactory) async throws -> any EntityStore {
        let store = try await freshStore(makeStore)
        try await store.insert([
            entity("A", ["title": "Crème brûlée", "body": "A French dessert", "code": 7]),
            entity("B", ["title": "Creamy soup", "body": "Tomato AND basil (hot)"]),
            entity("C", ["title": "Say \"hello\"", "body": "quote*star"]),
            entity("D", ["other": ["creme"], "n": 1]),
        ])
        return store
    }

    static let searchTermsArePrefixesAndAllMustMatch = ConformanceCheck("searchTermsArePrefixesAndAllMustMatch") {
        makeStore in
        let store = try await searchStore(makeStore)
        try await expectIDs(store, Query(search: "cre"), ["A", "B"])
        try await expectIDs(store, Query(search: "creme"), ["A"])  // diacritics removed
        try await expectIDs(store, Query(search: "CRÈ  dess"), ["A"])
        try await expectIDs(store, Query(search: "cre tomato"), ["B"])
        try await expectIDs(store, Query(search: "cre xyz"), [])
        try await expectIDs(store, Query(search: "ream"), [])  // a prefix, not a substring
        try await expectIDs(store, Query(search: "7"), [])  // only strings are searched
        // The id is not searched.
        try await expectIDs(store, Query(filter: .compare("id", .eq, lit("D")), search: "d"), [])
        try await expectIDs(store, Query(search: "   "), ["A", "B", "C", "D"])
        try await expectIDs(store, Query(search: ""), ["A", "B", "C", "D"])
        let page = try await store.query(Query(search: "cre", limit: 1), in: products)
        try expectEqual(page.entities.map(\.id), ["A"], "first page of search 'cre'")
        try expectEqual(page.total, 2, "total of search 'cre'")
        try await expectIDs(store, Query(filter: .compare("code", .eq, lit("7")), search: "cre"), ["A"])
        try await expectIDs(store, Query(sort: [SortKey("title", descending: true)], search: "cre"), ["A", "B"])
    }

    static let searchInputIsNeverSearchSyntax = ConformanceCheck("searchInputIsNeverSearchSyntax") { makeStore in
        let store = try await searchStore(makeStore)
        try await expectIDs(store, Query(search: "\"hello\""), ["C"])
        try await expectIDs(store, Query(search: "quote*star"), ["C"])
        try await expectIDs(store, Query(search: "AND"), ["B"])
        try await expectIDs(store, Query(search: "tomato AND (hot"), ["B"])
        try await expectIDs(store, Query(search: "NEAR(tomato basil)"), [])
        try await expectIDs(store, Query(search: "* ( \" ) :"), ["A", "B", "C", "D"])
        try await expectIDs(store, Query(search: "title:creamy"), [])
        try await expectIDs(store, Query(search: "a\"\"b -c ^d"), ["A"])  // words a, b, c, d
        try await expectIDs(store, Query(search: "' OR 1=1 --"), [])
    }

    static let searchFollowsWritesAndDeclaredFields = ConformanceCheck("searchFollowsWritesAndDeclaredFields") {
        makeStore in
        let store = try await freshStore(makeStore, schema: productsSchema(searchFields: ["title", "meta.tag"]))
        try await store.insert([
            entity("A", object(#"{"title":"Lamp","body":"desk","meta":{"tag":"office"}}"#)),
            entity("B", object(#"{"title":"Chair","body":"lamp"}"#)),
        ])
        try await expectIDs(store, Query(search: "lamp"), ["A"])
        try await expectIDs(store, Query(search: "off"), ["A"])
        try await expectIDs(store, Query(search: "desk"), [])
        try await store.apply([.update(entity("A", ["title": "Table"], version: 2), expectedVersion: 1)])
        try await expectIDs(store, Query(search: "lamp"), [])
        try await expectIDs(store, Query(search: "tab"), ["A"])
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: nil)])
        try await expectIDs(store, Query(search: "tab"), [])
        // Undeclared collections search every top-level string.
        let other = CollectionPath("other")
        try await store.insert([entity("O", ["title": "Desk", "body": "lamp"], in: other)])
        try await expectIDs(store, Query(search: "lamp"), ["O"], in: other)
        // Changing the declared fields re-indexes what is stored.
        try await store.prepare(for: productsSchema(searchFields: ["body"]))
        try await expectIDs(store, Query(search: "lamp"), ["B"])
        try await expectIDs(store, Query(search: "chair"), [])
        try await store.prepare(for: .open)
        try await expectIDs(store, Query(search: "chair lamp"), ["B"])
        try await expectIDs(store, Query(search: "desk lamp"), ["O"], in: other)
    }
}
