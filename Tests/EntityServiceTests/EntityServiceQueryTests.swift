import EntityModel
import EntityQuery
import EntityService
import EntityStore
import TestStores
import Testing

@Suite struct EntityServiceQueryTests {
    /// Runs `body` with a service whose products are Alpha widget (P1), Beta gadget (P2), Gamma widget (P3).
    func withSeededService(_ backend: StoreBackend, _ body: (EntityService) async throws -> Void) async throws {
        try await withService(backend) { service in
            _ = try await service.perform(
                [
                    .create(["id": "P1", "name": "Alpha widget", "price": 10, "status": "published"]),
                    .create([
                        "id": "P2", "name": "Beta gadget", "price": .number(JSONNumber("19.99")!), "status": "draft",
                    ]),
                    .create(["id": "P3", "name": "Gamma widget", "price": 5, "status": "published"]),
                ],
                in: products,
                as: caller
            )
            try await body(service)
        }
    }

    func list(_ service: EntityService, _ rql: String) async throws -> QueryPage {
        let query = try RQLParser().parse(queryString: rql).query(defaultLimit: 100)
        return try await service.list(query, in: products, as: caller)
    }

    @Test(arguments: StoreBackend.allCases) func bareLiteralsAreTypedByTheDeclaredField(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let page = try await list(service, "gt(price,9)&ordering(-price)")
            #expect(page.entities.map(\.id) == ["P2", "P1"])
            #expect(page.total == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aLiteralThatDoesNotFitTheFieldIsAQueryError(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let error = await #expect(throws: EntityError.self) { _ = try await list(service, "eq(price,abc)") }
            #expect(error?.code == .invalidQuery)
            #expect(error?.messages == ["price: 'abc' is not a number"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func emptyIsTheEmptyStringEvenOnANumberField(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let expectations: [(String, [String])] = [
                ("eq(price,empty())", []), ("ne(price,empty())", ["P1", "P2", "P3"]),
                ("eq(note,empty())", []), ("ne(note,empty())", ["P1", "P2", "P3"]),
                ("eq(note,null())", ["P1", "P2", "P3"]), ("in(status,(draft,empty()))", ["P2"]),
            ]
            for (rql, expected) in expectations {
                let ids = try await list(service, rql).entities.map(\.id)
                #expect(ids == expected, "\(rql)")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func createdMeansTheMetadataTimestamp(_ backend: StoreBackend) async throws
    {
        try await withSeededService(backend) { service in
            let page = try await list(service, "ordering(-created,-id)&limit=2")
            #expect(page.entities.map(\.id) == ["P3", "P2"])
            #expect(page.total == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases) func pageLimitAboveTheMaximumIsRefusedNotCapped(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let error = await #expect(throws: EntityError.self) { _ = try await list(service, "limit=1001") }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test(arguments: StoreBackend.allCases) func searchFindsWordPrefixesInDeclaredFields(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let page = try await list(service, "search=widg")
            #expect(Set(page.entities.map(\.id)) == ["P1", "P3"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func undeclaredCollectionsAreNotFoundUnlessTheSchemaIsOpen(
        _ backend: StoreBackend
    ) async throws {
        try await withSeededService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.list(Query(), in: CollectionPath("nothing"), as: caller)
            }
            #expect(error?.code == .notFound)
            try await withService(backend, schema: .open) { open in
                #expect(try await open.list(Query(), in: CollectionPath("anything"), as: caller).total == 0)
                let created = try await open.create(["a": 1], in: CollectionPath("anything"), as: caller)
                #expect(try await open.get(created.id, in: CollectionPath("anything"), as: caller).values == ["a": 1])
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func nestedCollectionsNeedTheirParent(_ backend: StoreBackend) async throws
    {
        try await withService(backend) { service in
            let services = CollectionPath(namespace: "devops", segments: ["services"])
            let environments = services.nested("environments", in: "SRVC-1")
            let missing = await #expect(throws: EntityError.self) {
                _ = try await service.create(["name": "prod"], in: environments, as: caller)
            }
            #expect(missing?.code == .notFound)
            _ = try await service.create(["id": "SRVC-1", "name": "api"], in: services, as: caller)
            let environment = try await service.create(["name": "prod"], in: environments, as: caller)
            #expect(
                try await service.list(Query(), in: environments, as: caller).entities.map(\.id) == [environment.id]
            )
            let busy = await #expect(throws: EntityError.self) {
                try await service.delete("SRVC-1", in: services, as: caller)
            }
            #expect(busy?.code == .conflict)
            try await service.delete(environment.id, in: environments, as: caller)
            try await service.delete("SRVC-1", in: services, as: caller)
        }
    }

    @Test(arguments: StoreBackend.allCases) func actionRunsWhenItsPreconditionHolds(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let ended = try await service.runAction("endsale", on: "P1", in: products, as: caller)
            #expect(ended.values["status"] == "endofsale")
            #expect(ended.version == 2)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.runAction("endsale", on: "P2", in: products, as: caller)
            }
            #expect(error?.code == .actionConditionFailed)
            #expect(error?.messages.first?.contains("eq(status,published)") == true)
            #expect(try await service.get("P2", in: products, as: caller).values["status"] == "draft")
        }
    }

    @Test(arguments: StoreBackend.allCases) func collectionActionUpdatesEveryMatchingEntity(_ backend: StoreBackend)
        async throws
    {
        try await withSeededService(backend) { service in
            let count = try await service.runCollectionAction("discontinue", filter: nil, in: products, as: caller)
            #expect(count == 1)
            #expect(try await service.get("P2", in: products, as: caller).values["status"] == "discontinued")
            #expect(try await service.get("P1", in: products, as: caller).values["status"] == "published")
        }
    }

    @Test(arguments: StoreBackend.allCases) func unknownActionsAreNotFound(_ backend: StoreBackend) async throws {
        try await withSeededService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.runAction("explode", on: "P1", in: products, as: caller)
            }
            #expect(error?.code == .notFound)
        }
    }
}
