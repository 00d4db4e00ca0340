import EntityClient
import EntityModel
import TestStores
import Testing

@Suite struct ResourceCRUDTests {
    @Test(arguments: StoreBackend.allCases) func createReturnsTheStoredEntityWhichGetReadsBack(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.create(["name": "Lamp", "price": 25, "status": "draft"])
            let id = try #require(created.entityID)
            #expect(id.hasPrefix("PRD-"))
            #expect(created["name"] == "Lamp")
            #expect(created.entityVersion == 1)

            let read = try await products[id].get()
            #expect(read == created)
            #expect(products[id].id == id)
        }
    }

    @Test(arguments: StoreBackend.allCases) func writesGivenDictionaryLiteralsSendAndReadJSON(_ backend: StoreBackend)
        async throws
    {
        // `["name": "Lamp"]` must not be taken for a `[String: String]` to encode and decode.
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.create(["name": "Lamp"])
            try await products.bulkCreate([["name": "Desk"], ["name": "Chair"]])
            let id = try #require(try await products.order(by: "name").first()?.entityID)
            try await products[id].update(["status": "draft"])
            try await products[id].patch(["status": "published"])

            #expect(try await products.order(by: "name").collect().map { $0["name"] } == ["Chair", "Desk", "Lamp"])
            #expect(try await products[id].get()["status"] == "published")
        }
    }

    @Test(arguments: StoreBackend.allCases) func existsTellsWhetherAnEntityIsThere(_ backend: StoreBackend) async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp"]).entityID)
            #expect(try await products[id].exists())
            #expect(try await products.resource("PRD-000-000-404").exists() == false)

            try await products[id].delete()
            #expect(try await products[id].exists() == false)
        }
    }

    @Test(arguments: StoreBackend.allCases) func updateChangesOnlyTheGivenFields(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp", "price": 25, "status": "draft"]).entityID)

            let updated = try await products[id].update(["price": 30])
            #expect(updated["price"] == 30)
            #expect(updated["name"] == "Lamp")
            #expect(updated["status"] == "draft")
            #expect(updated.entityVersion == 2)
            #expect(try await products[id].get() == updated)
        }
    }

    @Test(arguments: StoreBackend.allCases) func patchMergesObjectsAndNullRemovesAField(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            let id = try #require(
                try await items.create([
                    "name": "Desk", "colour": "oak", "size": ["width": 120, "depth": 60],
                ]).entityID
            )

            let patched = try await items[id].patch(["colour": nil, "size": ["depth": 80]])
            #expect(!patched.has("colour"))
            #expect(patched["name"] == "Desk")
            #expect(patched["size"] == ["width": 120, "depth": 80])
            #expect(try await !items[id].get().has("colour"))
        }
    }

    @Test(arguments: StoreBackend.allCases) func deleteRemovesTheEntity(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(["name": "Lamp"]).entityID)
            try await products[id].delete()

            let error = try await #require(throws: EntityClientError.self) { try await products[id].get() }
            #expect(error.code == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aMissingEntityFailsWithNotFoundNamingTheRequest(
        _ backend: StoreBackend
    ) async throws {
        try await withEntityHub(backend) { client in
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-000-000-999"].get()
            }
            #expect(error.code == .notFound)
            #expect(error.status == 404)
            #expect(error.errorCode == "NOT_FOUND")
            #expect(error.errors.contains { $0.contains("PRD-000-000-999") })
            #expect(error.request?.method == "GET")
            #expect(error.request?.url == client.endpoint + "/products/PRD-000-000-999")
            #expect(error.description.hasPrefix("404 NOT_FOUND: "))
            #expect(error.description.hasSuffix("(GET \(client.endpoint)/products/PRD-000-000-999)"))
        }
    }

    @Test(arguments: StoreBackend.allCases) func anInvalidEntityFailsWithTheServersMessages(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].create(["price": "cheap"])
            }
            #expect(error.code == .server)
            #expect(error.status == 422)
            #expect(error.errorCode == "VALIDATION_FAILED")
            #expect(error.errors.contains { $0.hasPrefix("name:") })
            #expect(error.errors.contains { $0.hasPrefix("price:") })
            #expect(error.request?.method == "POST")
            #expect(try await client["products"].all.count() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aStaleVersionFailsWithVersionMismatchAndChangesNothing(
        _ backend: StoreBackend
    ) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.create(["name": "Lamp", "price": 25])
            let id = try #require(created.entityID)
            let staleVersion = try #require(created.entityVersion)
            let current = try await products[id].update(["price": 30], ifVersion: staleVersion)
            #expect(current.entityVersion == staleVersion + 1)

            let error = try await #require(throws: EntityClientError.self) {
                try await products[id].update(["price": 99], ifVersion: staleVersion)
            }
            #expect(error.code == .versionMismatch)
            #expect(error.status == 412)
            #expect(error.errorCode == "VERSION_MISMATCH")
            #expect(try await products[id].get() == current)

            let deleteError = try await #require(throws: EntityClientError.self) {
                try await products[id].delete(ifVersion: staleVersion)
            }
            #expect(deleteError.code == .versionMismatch)
            #expect(try await products[id].exists())
        }
    }

    @Test(arguments: StoreBackend.allCases) func patchWithTheCurrentVersionSucceeds(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.create(["name": "Lamp"])
            let id = try #require(created.entityID)
            let patched = try await products[id].patch(["status": "draft"], ifVersion: created.entityVersion)
            #expect(patched["status"] == "draft")
            #expect(patched.entityVersion == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases) func valuesPicksFieldsByDotPath(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            let id = try #require(
                try await items.create(["name": "Desk", "address": ["city": "Oslo", "zip": "0150"]]).entityID
            )
            let values = try await items[id].values("name", "address.city", "missing", "address.street")
            #expect(values == ["name": "Desk", "address.city": "Oslo"])
        }
    }
}
