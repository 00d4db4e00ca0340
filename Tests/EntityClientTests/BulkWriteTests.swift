import EntityClient
import EntityModel
import TestStores
import Testing

@Suite struct BulkWriteTests {
    @Test(arguments: StoreBackend.allCases) func bulkCreateReturnsTheCreatedEntitiesInOrder(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.bulkCreate([
                ["name": "Lamp", "price": 25], ["name": "Desk", "price": 120], ["name": "Chair", "price": 60],
            ])
            #expect(created.map { $0["name"] } == ["Lamp", "Desk", "Chair"])
            #expect(Set(JSON.ids(created)).count == 3)

            let stored = try await products.order(by: "price").collect()
            #expect(stored.map { $0["name"] } == ["Lamp", "Chair", "Desk"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkCreateOfCodableValuesDecodesTheAnswer(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let created = try await client["products"].bulkCreate([
                Product(name: "Lamp", price: 25), Product(name: "Desk", price: 120),
            ])
            #expect(created.map(\.name) == ["Lamp", "Desk"])
            #expect(created.allSatisfy { $0.id?.hasPrefix("PRD-") == true })
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkCreateFromRawJSONBytesStoresThem(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let bytes = Array(#"[{"name": "Lamp"}, {"name": "Desk", "tags": ["wood"]}]"#.utf8)
            let created = try await client["items"].bulkCreate(jsonArray: bytes)
            #expect(created.map { $0["name"] } == ["Lamp", "Desk"])
            #expect(created[1]["tags"] == ["wood"])
            #expect(try await client["items"].all.count() == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRefusedItemCreatesNothingAndIsNamed(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let error = try await #require(throws: EntityClientError.self) {
                try await products.bulkCreate([["name": "Lamp"], ["price": 3], ["name": "Desk"]])
            }
            #expect(error.code == .server)
            #expect(error.status == 422)
            #expect(error.errors.contains { $0.hasPrefix("item 1:") && $0.contains("name") })
            #expect(try await products.all.count() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkUpdateChangesTheGivenFieldsOfEachEntity(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.bulkCreate([
                ["name": "Lamp", "price": 25, "status": "draft"], ["name": "Desk", "price": 120, "status": "draft"],
            ])
            let ids = JSON.ids(created)

            let updated = try await products.bulkUpdate([
                ["id": .string(ids[0]), "price": 30], ["id": .string(ids[1]), "status": "published"],
            ])
            #expect(JSON.ids(updated) == ids)
            let lamp = try await products[ids[0]].get()
            let desk = try await products[ids[1]].get()
            #expect(lamp["price"] == 30)
            #expect(lamp["status"] == "draft")
            #expect(desk["price"] == 120)
            #expect(desk["status"] == "published")
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkUpdateOfCodableValuesDecodesTheAnswer(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            var created = try await products.bulkCreate([Product(name: "Lamp", price: 25), Product(name: "Desk")])
            created[0].price = 26
            created[1].status = "published"

            let updated = try await products.bulkUpdate(created)
            #expect(updated == created)
            #expect(try await products.filter(R.status == "published").collect().map { $0["name"] } == ["Desk"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkDeleteRemovesExactlyTheGivenEntities(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.bulkCreate([["name": "Lamp"], ["name": "Desk"], ["name": "Chair"]])
            let ids = JSON.ids(created)

            try await products.bulkDelete(ids: [ids[0], ids[2]])
            #expect(try await JSON.ids(products.all.collect()) == [ids[1]])
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkDeleteOfAMissingEntityDeletesNothing(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp"]).entityID)

            let error = try await #require(throws: EntityClientError.self) {
                try await products.bulkDelete(ids: [id, "PRD-000-000-404"])
            }
            #expect(error.code == .notFound)
            #expect(try await products[id].exists())
        }
    }
}
