import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

@Suite struct ActionParameterTests {
    @Test(arguments: StoreBackend.allCases) func aResourceActionSetsItsParameters(_ backend: StoreBackend) async throws
    {
        try await withReferenceService(backend) { service in
            let product = try await service.create(["name": "A", "price": 10, "stock": 5], in: products, as: caller)
            let repriced = try await service.runAction(
                "reprice",
                on: product.id,
                parameters: ["price": .number(JSONNumber("7.25")!)],
                in: products,
                as: caller
            )
            #expect(repriced.values["price"]?.description == "7.25")
            #expect(repriced.version == 2)

            // `$count` in `when` and nested in `set`.
            let sold = try await service.runAction(
                "sell",
                on: product.id,
                parameters: ["count": 5],
                in: products,
                as: caller
            )
            #expect(sold.values["status"] == "sold")
            #expect(sold.values["lastSale"] == ["count": 5])
            let refused = await #expect(throws: EntityError.self) {
                _ = try await service.runAction(
                    "sell",
                    on: product.id,
                    parameters: ["count": 6],
                    in: products,
                    as: caller
                )
            }
            #expect(refused?.code == .actionConditionFailed)
        }
    }

    @Test(arguments: StoreBackend.allCases) func badParametersAreInvalidRequests(_ backend: StoreBackend) async throws {
        try await withReferenceService(backend) { service in
            let product = try await service.create(["name": "A", "price": 10], in: products, as: caller)
            let cases: [([String: JSON], [String])] = [
                ([:], ["parameter price: required parameter is missing"]),
                (["price": nil], ["parameter price: required parameter is missing"]),
                (["price": "cheap"], ["parameter price: expected a number, found string \"cheap\""]),
                (
                    ["price": 1, "discount": 2],
                    ["parameter discount: reprice has no such parameter; it takes price"]
                ),
            ]
            for (parameters, messages) in cases {
                let error = await #expect(throws: EntityError.self) {
                    _ = try await service.runAction(
                        "reprice",
                        on: product.id,
                        parameters: parameters,
                        in: products,
                        as: caller
                    )
                }
                #expect(error?.code == .invalidRequest)
                #expect(error?.messages == messages)
            }
            #expect(try await service.get(product.id, in: products, as: caller).version == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func collectionAndTopLevelActionsCountWhatTheyUpdate(
        _ backend: StoreBackend
    ) async throws {
        try await withReferenceService(backend) { service in
            for stock in [1, 2, 8] {
                _ = try await service.create(
                    ["name": .string("P\(stock)"), "stock": .integer(Int64(stock))],
                    in: products,
                    as: caller
                )
            }
            let restocked = try await service.runCollectionAction(
                "restock",
                parameters: ["below": 5, "to": 10],
                filter: nil,
                in: products,
                as: caller
            )
            #expect(restocked == 2)
            let stocks = try await service.list(Query(sort: [SortKey("name")]), in: products, as: caller).entities
                .map { $0.values["stock"] }
            #expect(stocks == [10, 10, 8])

            let reset = try await service.runTopLevelAction(
                "resetStock",
                parameters: ["to": 0],
                filter: .compare("name", .ne, .json("P8")),
                as: caller
            )
            #expect(reset == 2)
            let missing = await #expect(throws: EntityError.self) {
                _ = try await service.runTopLevelAction("nothing", filter: nil, as: caller)
            }
            #expect(missing?.code == .notFound)
        }
    }

    @Test func theServiceRefusesRQLWithUndeclaredParametersOrWrongLiterals() async throws {
        let cases: [(String, String)] = [
            (
                #"{"collections": {"p": {"functions": {"f": {"test": "le(price,$max)"}}}}}"#,
                #"collections.p.functions.f.test: $max names no declared parameter; declare it under "parameters""#
            ),
            (
                #"{"collections": {"p": {"actions": {"a": {"when": "eq(a,"}}}}}"#,
                "collections.p.actions.a.when: "
            ),
            (
                #"{"collections": {"p": {"fields": {"n": {"type": "integer"}}}}, "functions": {"f": {"collection": "p", "filter": "eq(n,x)"}}}"#,
                "functions.f.filter: n: 'x' is not an integer"
            ),
        ]
        for (text, message) in cases {
            let schema = try Schema(json: JSON(parsing: text))
            try await StoreBackend.sqlite.withFreshStore { store in
                let error = #expect(throws: SchemaError.self) { _ = try EntityService(store: store, schema: schema) }
                // A syntax error's own wording belongs to the RQL parser; its path is what matters here.
                #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
            }
        }
    }
}
