import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// Entities for the ``Filter/search(_:)`` checks: words in several fields and orders, diacritics,
    /// search syntax, and entities without any string field.
    private static let searchFilterEntities: [Entity] = [
        entity("A", ["title": "Big red barn", "body": "Crème brûlée", "n": 1]),
        entity("B", ["title": "Red big ball", "body": "tea AND coffee", "n": 2]),
        entity("C", ["title": "big", "body": "a red (hot) \"tea\"", "meta": .object(["tag": "decaf"]), "r": "A"]),
        entity("D", ["n": 3, "tags": ["red", "big"], "r": "B"]),
        entity("E", [:]),
        entity("F", ["title": "CREME", "body": "big-red", "meta": .object(["tag": "red"])]),
        entity("G", ["title": "", "body": "*", "n": 4]),
        entity("H", ["title": "Cre\u{300}me décomposée", "body": "ÉCLAIR"]),
    ]

    /// Search nodes alone, combined with each other and with other filters.
    private static let searchFilters: [Filter] = [
        .search("big"), .search("red big"), .search("big red"), .search("\"big red\""), .search("crème"),
        .search("CREM"), .search("brulee"), .search("tea AND"), .search("hot)"), .search("*"), .search(""),
        .search("   "), .search("decaf"), .search("ig"), .search("1"), .search("big-red"), .search("NEAR(big red)"),
        .search("' OR 1=1 --"), .search("barn ball"),
        .or([.search("barn"), .search("ball")]),
        .and([.search("big"), .not(.search("red"))]),
        .and([.search("red"), .not(.or([.search("barn"), .search("tea")]))]),
        .not(.and([.search("big"), .search("red")])),
        .and([.search("big"), .compare("n", .ge, lit("2"))]),
        .or([.search("coffee"), .isNull("title", negated: false)]),
        .or([.search("xyz"), .compare("n", .eq, lit("3"))]),
        .and([]), .or([.search("")]), .not(.search("")),
        // Inside an element or a related entity a search is false.
        .anyElement("tags", .arrayElements, where: .search("red")),
        .anyElement("meta", .memberValues, where: .not(.search("red"))),
        .related(Relation(.reference("r"), target: CollectionPath("products")), where: .search("big")),
        .related(Relation(.inverse("r"), target: CollectionPath("products")), where: .not(.search("big"))),
        .search("eclair decompo"), .or([.search("éclair"), .search("brûlée")]),
    ]

    static let searchFiltersAgreeWithTheEvaluator = ConformanceCheck("searchFiltersAgreeWithTheEvaluator") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert(searchFilterEntities)
        try await expectSearchAgreement(store, searchFilters, searchFields: [])
        // Spot checks the Evaluator must pass too: a phrase is all its words, in any order.
        try await expectIDs(store, .search("big red"), ["A", "B", "C", "F"])
        try await expectIDs(store, .search("crème"), ["A", "F", "H"])
        try await expectIDs(store, .not(.search("big")), ["D", "E", "G", "H"])
        try await expectIDs(store, .not(.search("")), [])
        // With a query's own search, both must hold.
        try await expectIDs(store, Query(filter: .not(.search("barn")), search: "red big"), ["B", "C", "F"])
        let page = try await store.query(Query(filter: .or([.search("tea"), .search("barn")]), limit: 1), in: products)
        try expectEqual(page.entities.map(\.id), ["A"], "first page of tea OR barn")
        try expectEqual(page.total, 3, "total of tea OR barn")
    }

    static let searchFiltersFollowDeclaredFields = ConformanceCheck("searchFiltersFollowDeclaredFields") {
        makeStore in
        let searchFields = ["title", "meta.tag"]
        let store = try await freshStore(makeStore, schema: productsSchema(searchFields: searchFields))
        try await store.insert(searchFilterEntities)
        try await expectSearchAgreement(store, searchFilters, searchFields: searchFields)
        try await expectIDs(store, .search("crème"), ["F", "H"])
        try await expectIDs(store, .and([.search("red"), .not(.search("decaf"))]), ["A", "B", "F"])
        // Re-indexing changes what a search node finds, counts included.
        try await store.prepare(for: productsSchema(searchFields: ["body"]))
        try await expectIDs(store, .search("crème"), ["A"])
        try await expectSearchAgreement(store, searchFilters, searchFields: ["body"])
    }

    /// Fails unless the store matches exactly the Evaluator's entities (with `searchFields`) for each
    /// filter and its negation, and counts them alike.
    private static func expectSearchAgreement(
        _ store: any EntityStore,
        _ filters: [Filter],
        searchFields: [String]
    ) async throws {
        let documents = searchFilterEntities.map(\.document)
        let related = { (relation: Relation, document: JSON) in
            Evaluator.linked(document, by: relation, among: documents)
        }
        for filter in filters {
            for tested in [filter, .not(filter)] {
                let query = Query(filter: tested, limit: 2)
                let expected = Evaluator.run(
                    Query(filter: tested, limit: 1000),
                    over: documents,
                    searchFields: searchFields,
                    related: related
                )
                let ids = expected.page.compactMap { $0["id"]?.stringValue }
                let page: QueryPage
                do {
                    page = try await store.query(query, in: products)
                } catch {
                    throw ConformanceFailure(
                        message: "\(tested): the store threw \(ConformanceFailure.describe(error))",
                        file: #filePath,
                        line: #line
                    )
                }
                try expectEqual(page.entities.map(\.id), Array(ids.prefix(2)), "first page matching \(tested)")
                try expectEqual(page.total, expected.total, "total matching \(tested)")
            }
        }
    }
}
