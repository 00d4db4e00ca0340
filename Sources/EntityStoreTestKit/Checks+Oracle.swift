import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// The seeds of ``randomQueriesAgreeWithTheEvaluator``.
    static let oracleSeeds: [UInt64] = [20_240_601, 7, 1_234_567]

    static let randomQueriesAgreeWithTheEvaluator = ConformanceCheck("randomQueriesAgreeWithTheEvaluator") {
        makeStore in
        for seed in oracleSeeds {
            try await randomQueries(seed: seed).run(makeStore)
        }
    }

    static let randomQueriesWithDeclaredSearchFieldsAgreeWithTheEvaluator = ConformanceCheck(
        "randomQueriesWithDeclaredSearchFieldsAgreeWithTheEvaluator"
    ) { makeStore in
        try await randomQueries(seed: 99, queries: 200, searchFields: ["text", "o.k"], indexes: ["f", "o.k"])
            .run(makeStore)
    }

    /// A check comparing `queries` random queries over `documents` random entities with the
    /// ``Evaluator``, all drawn from `seed`: use it to replay a failure of the randomized checks,
    /// whose message names the seed (and the query's number).
    ///
    /// ```swift
    /// try await EntityStoreConformance.randomQueries(seed: 7).run { try await makeMyStore() }
    /// ```
    ///
    /// The entities have random values (see ``QueryFuzzer/document()``), versions from 1 to 5,
    /// creation times and creators. Each page must hold exactly the Evaluator's entities in its order,
    /// projected alike; the total follows the rule of the check
    /// `totalWithoutCountingIsNilUnlessThePageTells`.
    ///
    /// - Parameters:
    ///   - seed: fixes the entities and the queries.
    ///   - documents: how many entities the `products` collection holds.
    ///   - queries: how many queries are compared.
    ///   - searchFields: the `products` collection's declared search fields (none: every top-level string).
    ///   - indexes: the `products` collection's declared indexes, which must not change any result.
    public static func randomQueries(
        seed: UInt64,
        documents: Int = 60,
        queries: Int = 300,
        searchFields: [String] = [],
        indexes: [String] = []
    ) -> ConformanceCheck {
        var call = "randomQueries(seed: \(seed), documents: \(documents), queries: \(queries)"
        if !searchFields.isEmpty { call += ", searchFields: \(searchFields)" }
        if !indexes.isEmpty { call += ", indexes: \(indexes)" }
        call += ")"
        return ConformanceCheck(call) { [call] makeStore in
            let store = try await freshStore(
                makeStore,
                schema: productsSchema(indexes: indexes, searchFields: searchFields)
            )
            var fuzzer = QueryFuzzer(seed: seed)
            let entities = (0..<documents).map { index in
                entity(
                    "E\(index < 10 ? "0" : "")\(index)",
                    fuzzer.document(),
                    version: Int64(1 + fuzzer.random.next() % 5),
                    createdMs: Int64(fuzzer.random.next() % 100_000),
                    createdBy: fuzzer.pick([nil, "ann", "bob", "Ann"])
                )
            }
            try await store.insert(entities)
            let documents = entities.map(\.document)
            // Relations of the fuzzer link products to products (see `QueryFuzzer.document()`).
            let related = { (relation: Relation, document: JSON) in
                let targets = entities.filter { entity in relation.readableBy.map { entity.createdBy == $0 } ?? true }
                return Evaluator.linked(document, by: relation, among: targets.map(\.document))
            }
            for number in 0..<queries {
                let query = fuzzer.query()
                let context = "seed \(seed), query #\(number) (replay: \(call)): \(query)"
                let expected = Evaluator.run(query, over: documents, searchFields: searchFields, related: related)
                // The ids come from the unprojected page: a projection may exclude `id` from the document.
                var unprojected = query
                unprojected.projection = nil
                let expectedIDs = Evaluator.run(
                    unprojected,
                    over: documents,
                    searchFields: searchFields,
                    related: related
                ).page
                    .compactMap { $0["id"]?.stringValue }
                let page: QueryPage
                do {
                    page = try await store.query(query, in: products)
                } catch {
                    throw ConformanceFailure(
                        message: "\(context): the store threw \(ConformanceFailure.describe(error))",
                        file: #filePath,
                        line: #line
                    )
                }
                try expectEqual(page.entities.map(\.id), expectedIDs, context)
                for (entity, document) in zip(page.entities, expected.page) {
                    var values = document.objectValue ?? [:]
                    values["id"] = nil
                    values[Entity.metaKey] = nil
                    try expectEqual(JSON.object(entity.values), .object(values), "values of \(entity.id), \(context)")
                }
                let total = expectedTotal(query, matches: expected.total, pageCount: expected.page.count)
                try expect(
                    page.total == total || (total == nil && page.total == expected.total),
                    "\(context): expected total \(total.map(String.init) ?? "nil"), "
                        + "the store returned \(page.total.map(String.init) ?? "nil")"
                )
            }
        }
    }

    /// The total a page must carry (see the check `totalWithoutCountingIsNilUnlessThePageTells`): the exact
    /// number of matches when the query counts; otherwise `offset + count` when the page is short
    /// (and non-empty, or at offset 0), else `nil`.
    static func expectedTotal(_ query: Query, matches: Int, pageCount: Int) -> Int? {
        if query.countsTotal { return matches }
        let limit = max(0, query.limit)
        let offset = max(0, query.offset)
        if limit > 0, pageCount < limit, pageCount > 0 || offset == 0 { return offset + pageCount }
        return nil
    }
}
