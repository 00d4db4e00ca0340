import EntityClient
import EntityModel
import Foundation
import TestStores
import Testing

@Suite struct TypedEntityTests {
    static let released = Date(timeIntervalSince1970: 1_704_164_645)

    @Test(arguments: StoreBackend.allCases) func createOfACodableValueReturnsItAsStored(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let lamp = Product(name: "Lamp", price: 19.99, status: "draft", released: Self.released)
            let created = try await client["products"].create(lamp)

            let id = try #require(created.id)
            #expect(id.hasPrefix("PRD-"))
            #expect(created == Product(id: id, name: "Lamp", price: 19.99, status: "draft", released: Self.released))
            let stored = try await client["products"][id].get()
            #expect(stored["price"]?.description == "19.99")
        }
    }

    @Test(arguments: StoreBackend.allCases) func getDecodesTheEntity(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let created = try await client["products"].create([
                "name": "Desk", "price": 120, "released": "2024-01-02T03:04:05Z",
            ])
            let id = try #require(created.entityID)

            let desk = try await client["products"][id].get(as: Product.self)
            #expect(desk == Product(id: id, name: "Desk", price: 120, released: Self.released))
        }
    }

    @Test(arguments: StoreBackend.allCases) func anAnswerOfTheWrongShapeFailsWithInvalidResponse(
        _ backend: StoreBackend
    ) async throws {
        struct Priced: Decodable { var price: Double }
        try await withEntityHub(backend) { client in
            let id = try #require(try await client["products"].create(["name": "Desk"]).entityID)
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"][id].get(as: Priced.self)
            }
            #expect(error.code == .invalidResponse)
            #expect(error.status == 200)
            #expect(error.errors.first?.contains("Priced") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases) func versionedCarriesTheVersionForALaterUpdate(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.create(Product(name: "Lamp", price: 25))
            let id = try #require(created.id)

            var current = try await products[id].versioned(as: Product.self)
            #expect(current.version == 1)
            #expect(current.value == created)

            current.value.price = 30
            let updated = try await products[id].update(current.value, ifVersion: current.version)
            #expect(updated.price == 30)
            #expect(try await products[id].versioned(as: Product.self).version == 2)

            let error = try await #require(throws: EntityClientError.self) {
                try await products[id].update(current.value, ifVersion: current.version)
            }
            #expect(error.code == .versionMismatch)
        }
    }

    @Test(arguments: StoreBackend.allCases) func modifyAppliesTheChangeToTheCurrentEntity(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let id = try #require(try await products.create(Product(name: "Lamp", price: 25)).id)

            let modified = try await products[id].modify(as: Product.self) { $0.price = ($0.price ?? 0) + 5 }
            #expect(modified.price == 30)
            #expect(try await products[id].get(as: Product.self).price == 30)
        }
    }

    @Test(arguments: StoreBackend.allCases) func concurrentModificationsAreAllKept(_ backend: StoreBackend) async throws
    {
        struct Tally: Codable, Sendable {
            var id: String?
            var count: Int
        }
        try await withEntityHub(backend) { client in
            let items = client["items"]
            let id = try #require(try await items.create(Tally(count: 0)).id)
            let writers = 8

            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        _ = try await items[id].modify(as: Tally.self, maximumAttempts: 50) { $0.count += 1 }
                    }
                }
                try await group.waitForAll()
            }

            #expect(try await items[id].get(as: Tally.self).count == writers)
        }
    }

    @Test(arguments: StoreBackend.allCases) func firstDecodesTheFirstEntityOfASet(_ backend: StoreBackend) async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate([Product(name: "B", price: 2), Product(name: "A", price: 1)])

            let cheapest = try await products.order(by: "price").first(as: Product.self)
            #expect(cheapest?.name == "A")
            #expect(try await products.filter(R.name == "Z").first(as: Product.self) == nil)
        }
    }

    @Test func versionedReadsTheETagOrElseTheMetaVersion() async throws {
        try await withStandInServer { request, _ in
            switch request.path {
            case "/api/v1/products/PRD-1": Reply.json(["id": "PRD-1", "name": "Lamp", "_meta": ["version": 4]])
            case "/api/v1/products/PRD-2":
                Reply.json(["id": "PRD-2", "name": "Desk", "_meta": ["version": 1]], headers: [.eTag: "W/\"5\""])
            default: Reply.json(["id": "PRD-3", "name": "Chair"])
            }
        } _: { port, _ in
            let products = try EntityClient(endpoint: "http://127.0.0.1:\(port)")["products"]
            #expect(try await products["PRD-1"].versioned(as: Product.self).version == 4)
            #expect(try await products["PRD-2"].versioned(as: Product.self).version == 5)

            let error = try await #require(throws: EntityClientError.self) {
                try await products["PRD-3"].versioned(as: Product.self)
            }
            #expect(error.code == .invalidResponse)
        }
    }
}
