import EntityClient
import EntityModel
import TestStores
import Testing

@Suite struct PathAndActionTests {
    @Test(arguments: StoreBackend.allCases) func nestedCollectionsLiveUnderTheirParentEntity(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let services = client.namespace("devops").collection("services")
            let api = try #require(try await services.create(["name": "api"]).entityID)
            let web = try #require(try await services.create(["name": "web"]).entityID)
            #expect(api.hasPrefix("SRVC-"))

            let environments = services[api].collection("environments")
            let production = try await environments.create(["name": "production"])
            try await environments.create(["name": "staging"])
            try await services[web].collection("environments").create(["name": "preview"])

            let names = try await environments.order(by: "name").collect().map { $0["name"] }
            #expect(names == ["production", "staging"])
            let id = try #require(production.entityID)
            #expect(try await environments[id].get() == production)
            #expect(try await client.namespace("devops")["services"][web].collection("environments").all.count() == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aCollectionCanBeNamedByItsPath(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let services = client.namespace("devops").collection("services")
            let api = try #require(try await services.create(["name": "api"]).entityID)
            try await services[api].collection("environments").create(["name": "production"])

            let byPath = client.collection(atPath: "devops/services/\(api)/environments")
            #expect(byPath.path == ["devops", "services", api, "environments"])
            #expect(try await byPath.all.collect().map { $0["name"] } == ["production"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func theEnvironmentsOfAMissingServiceAreNotFound(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let environments = client.namespace("devops")["services"]["SRVC-404"].collection("environments")
            let error = try await #require(throws: EntityClientError.self) {
                try await environments.create(["name": "production"])
            }
            #expect(error.code == .notFound)
            #expect(error.request?.url.hasSuffix("/devops/services/SRVC-404/environments") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anUnknownCollectionIsNotFound(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let error = try await #require(throws: EntityClientError.self) {
                try await client["widgets"].all.count()
            }
            #expect(error.code == .notFound)
            #expect(error.errorCode == "NOT_FOUND")
        }
    }

    @Test(arguments: StoreBackend.allCases) func theEndsaleActionEndsTheSaleOfAPublishedProduct(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp", "status": "published"]).entityID)

            let ended = try #require(try await products[id].action("endsale").post())
            #expect(ended["status"] == "endofsale")
            #expect(ended.entityID == id)
            #expect(try await products[id].get()["status"] == "endofsale")
        }
    }

    @Test(arguments: StoreBackend.allCases) func anActionWhosePreconditionFailsIsRefused(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp", "status": "draft"]).entityID)

            let error = try await #require(throws: EntityClientError.self) {
                try await products[id].action("endsale").post()
            }
            #expect(error.code == .server)
            #expect(error.status == 409)
            #expect(error.errorCode == "ACTION_CONDITION_FAILED")
            #expect(try await products[id].get()["status"] == "draft")
        }
    }

    @Test(arguments: StoreBackend.allCases) func theDiscontinueActionDiscontinuesEveryDraft(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let statuses: [String] = ["draft", "published", "draft", "endofsale", "draft"]
            try await products.bulkCreate(
                statuses.enumerated().map { index, status -> JSON in
                    ["name": .string("P\(index)"), "status": .string(status)]
                }
            )

            let answer = try await products.action("discontinue").post()
            #expect(answer == ["updated": 3])

            let expected = statuses.map { $0 == "draft" ? "discontinued" : $0 }
            let stored = try await products.order(by: "name").collect().map { $0["status"]?.stringValue }
            #expect(stored == expected)
            #expect(try await products.action("discontinue").post() == ["updated": 0])
        }
    }

    @Test(arguments: StoreBackend.allCases) func sendReachesAnyPathOfTheAPI(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let created = try #require(try await client.send(.POST, "products", body: ["name": "Lamp", "price": 25]))
            let id = try #require(created.entityID)

            #expect(try await client.send(.GET, "products/\(id)") == created)
            let page = try await client.send(.GET, "products", query: "eq(name,Lamp)&limit=10")
            #expect((page?.arrayValue).map(JSON.ids) == [id])
            let updated = try await client.send(.PUT, "/products/\(id)/", body: ["price": 30])
            #expect(updated?["price"] == 30)
            #expect(try await client.send(.DELETE, "products/\(id)") == nil)
            #expect(try await client["products"][id].exists() == false)
        }
    }
}
