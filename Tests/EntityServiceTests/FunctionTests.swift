import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

@Suite struct FunctionTests {
    /// Three products at 5, 10 and 20; Bob's at 1 is hidden from Alice.
    private func stock(_ service: EntityService) async throws {
        for (name, price) in [("a", 5), ("b", 10), ("c", 20)] {
            _ = try await service.create(
                ["name": .string(name), "price": .integer(Int64(price)), "tags": name == "c" ? ["red"] : ["blue"]],
                in: products,
                as: caller
            )
        }
        _ = try await service.create(["name": "hidden", "price": 1], in: products, as: bob)
    }

    @Test(arguments: StoreBackend.allCases) func aResourceFunctionTestsOneEntity(_ backend: StoreBackend) async throws {
        try await withReferenceService(backend) { service in
            let product = try await service.create(["name": "a", "price": 10], in: products, as: caller)
            #expect(
                try await service.testFunction(
                    "isCheap",
                    on: product.id,
                    parameters: ["max": 10],
                    in: products,
                    as: caller
                )
            )
            #expect(
                !(try await service.testFunction(
                    "isCheap",
                    on: product.id,
                    parameters: ["max": 9],
                    in: products,
                    as: caller
                ))
            )
            let hidden = await #expect(throws: EntityError.self) {
                _ = try await service.testFunction(
                    "isCheap",
                    on: product.id,
                    parameters: ["max": 9],
                    in: products,
                    as: bob
                )
            }
            #expect(hidden?.code == .notFound)
            let missing = await #expect(throws: EntityError.self) {
                _ = try await service.testFunction("isCheap", on: product.id, in: products, as: caller)
            }
            #expect(missing?.messages == ["parameter max: required parameter is missing"])
            let unknown = await #expect(throws: EntityError.self) {
                _ = try await service.testFunction("cheap", on: product.id, in: products, as: caller)
            }
            #expect(unknown?.code == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func collectionFunctionsComposeWithQueriesAndHideUnreadableEntities(
        _ backend: StoreBackend
    ) async throws {
        try await withReferenceService(backend) { service in
            try await stock(service)
            let cheap = try await service.runFunction(
                "cheap",
                parameters: ["max": 10],
                query: Query(sort: [SortKey("price", descending: true)]),
                in: products,
                as: caller
            )
            #expect(cheap.entities.map { $0.values["name"] } == ["b", "a"])
            #expect(cheap.total == 2)

            let filter = try service.functionFilter("cheap", parameters: ["max": 10], in: products)
            let composed = try await service.list(
                Query(filter: .and([filter, .compare("name", .ne, .literal("a", quoted: false))])),
                in: products,
                as: caller
            )
            #expect(composed.entities.map { $0.values["name"] } == ["b"])

            // Without the optional parameter, `le(price,null)` holds for nothing.
            #expect(try await service.runFunction("cheap", in: products, as: caller).total == 0)
            let named = try await service.runFunction(
                "named",
                parameters: ["a": "a", "b": "c"],
                query: Query(limit: 0),
                in: products,
                as: caller
            )
            #expect(named.total == 2)
            // A parameter not given drops out of the `in` list.
            let one = try await service.runFunction(
                "named",
                parameters: ["a": "a"],
                query: Query(limit: 0),
                in: products,
                as: caller
            )
            #expect(one.total == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func topLevelFunctionsActOnTheirCollection(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            try await stock(service)
            let (collection, filter) = try service.topLevelFunctionFilter("countCheap", parameters: ["max": 10])
            #expect(collection == products)
            #expect(try await service.list(Query(filter: filter, limit: 0), in: collection, as: caller).total == 2)
            let page = try await service.runTopLevelFunction(
                "countCheap",
                parameters: ["max": 20],
                query: Query(limit: 0),
                as: caller
            )
            #expect(page.total == 3)
            let wrong = await #expect(throws: EntityError.self) {
                _ = try await service.runTopLevelFunction("countCheap", parameters: ["max": "20"], as: caller)
            }
            #expect(wrong?.messages == ["parameter max: expected a number, found string \"20\""])
        }
    }
}
