import EntityClient
import EntityModel
import TestStores
import Testing

@Suite struct ResourceSetQueryTests {
    /// `count` items numbered `n` = 0..<count, stored in shuffled order so that no test passes by luck.
    static func insertNumbered(_ count: Int, into collection: CollectionReference) async throws {
        let documents = (0..<count).shuffled().map { n -> JSON in
            [
                "n": .integer(Int64(n)), "name": .string("item \(n)"),
                "group": .string(n.isMultiple(of: 2) ? "even" : "odd"),
            ]
        }
        for start in stride(from: 0, to: documents.count, by: 500) {
            try await collection.bulkCreate(Array(documents[start..<min(start + 500, documents.count)]))
        }
    }

    static func numbers(_ entities: [JSON]) -> [Int64] {
        entities.compactMap { if case .integer(let n) = $0["n"] { n } else { nil } }
    }

    static func numbers(_ set: ResourceSet) async throws -> [Int64] {
        numbers(try await set.collect())
    }

    @Test(arguments: StoreBackend.allCases) func orderSortsAscendingDescendingAndByManyFields(_ backend: StoreBackend)
        async throws
    {
        let products: [(name: String, price: Int, status: String)] = [
            ("Lamp", 25, "published"), ("Desk", 120, "draft"), ("Chair", 60, "published"),
            ("Sofa", 400, "draft"), ("Shelf", 80, "endofsale"), ("Stool", 15, "published"),
        ]
        try await withEntityHub(backend) { client in
            let collection = client["products"]
            try await collection.bulkCreate(
                products.map { product -> JSON in
                    [
                        "name": .string(product.name), "price": .integer(Int64(product.price)),
                        "status": .string(product.status),
                    ]
                }
            )
            func names(_ set: ResourceSet) async throws -> [String] {
                try await set.collect().compactMap { $0["name"]?.stringValue }
            }

            #expect(
                try await names(collection.order(by: "price")) == products.sorted { $0.price < $1.price }.map(\.name)
            )
            #expect(
                try await names(collection.all.order(by: "-price"))
                    == products.sorted { $0.price > $1.price }.map(\.name)
            )
            #expect(
                try await names(collection.all.order(by: "name", descending: true))
                    == products.map(\.name).sorted(by: >)
            )
            let byStatusThenPrice = products.sorted { ($0.status, -$0.price) < ($1.status, -$1.price) }.map(\.name)
            #expect(try await names(collection.order(by: "status", "-price")) == byStatusThenPrice)
            #expect(
                try await names(collection.filter(R.status == "published").order(by: ["-price"])) == [
                    "Chair", "Lamp", "Stool",
                ]
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func selectAndExcludingChooseTheFieldsReturned(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await items.create(["name": "Desk", "price": 120, "address": ["city": "Oslo", "zip": "0150"]])

            let selected = try #require(try await items.all.select("name", "address.city").first())
            #expect(selected.objectValue.map { Set($0.keys) } == ["id", "name", "address", "_meta"])
            #expect(selected["address"] == ["city": "Oslo"])

            let excluded = try #require(try await items.all.excluding("price", "address.zip").first())
            #expect(!excluded.has("price"))
            #expect(excluded["name"] == "Desk")
            #expect(excluded["address"] == ["city": "Oslo"])

            let minus = try #require(try await items.all.select("-address").first())
            #expect(!minus.has("address"))
            #expect(minus["price"] == 120)
        }
    }

    @Test(arguments: StoreBackend.allCases) func searchFindsEntitiesContainingEveryWord(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate([
                ["name": "Brass lamp"], ["name": "Steel lamp", "description": "for the oak desk"],
                ["name": "Oak desk"], ["name": "Chair", "description": "lampshade not included"],
            ])
            func names(_ set: ResourceSet) async throws -> Set<String> {
                Set(try await set.collect().compactMap { $0["name"]?.stringValue })
            }

            #expect(try await names(products.search("lamp")) == ["Brass lamp", "Steel lamp", "Chair"])
            #expect(try await names(products.search("oak desk")) == ["Steel lamp", "Oak desk"])
            #expect(try await names(products.search("brass").filter(R.name.like("*lamp"))) == ["Brass lamp"])
            #expect(try await products.search("steel oak").count() == 1)
            #expect(try await products.search("velvet").count() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func limitCapsTheEntitiesReturned(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(12, into: items)
            let ordered = items.order(by: "n")

            #expect(try await Self.numbers(ordered.limit(5)) == [0, 1, 2, 3, 4])
            #expect(try await Self.numbers(ordered.limit(5).limit(8)) == [0, 1, 2, 3, 4])
            #expect(try await Self.numbers(ordered.limit(0)).isEmpty)
            #expect(try await ordered.limit(5).count() == 5)
            #expect(try await ordered.limit(50).count() == 12)
            #expect(try await ordered.limit(0).first() == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func rangesSelectWindowsOfTheSet(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(25, into: items)
            let ordered = items.order(by: "n")

            #expect(try await Self.numbers(ordered[10..<20]) == Array(10..<20))
            #expect(try await Self.numbers(ordered[5...]) == Array(5..<25))
            #expect(try await Self.numbers(ordered[20..<40]) == Array(20..<25))
            #expect(try await Self.numbers(ordered[30...]).isEmpty)
            #expect(try await Self.numbers(ordered[3..<8][1..<3]) == [4, 5])
            #expect(try await Self.numbers(ordered.limit(5)[2...]) == [2, 3, 4])
            #expect(try await Self.numbers(ordered[5...].limit(3)) == [5, 6, 7])
            #expect(try await Self.numbers(ordered.filter(R.group == "odd")[2..<4]) == [5, 7])
        }
    }

    @Test(arguments: StoreBackend.allCases) func countTellsHowManyEntitiesTheSetHas(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            #expect(try await items.all.count() == 0)
            try await Self.insertNumbered(25, into: items)

            #expect(try await items.all.count() == 25)
            #expect(try await items.filter(R.group == "even").count() == 13)
            #expect(try await items.filter(R.n >= 10).count() == 15)
            #expect(try await items.all[10..<20].count() == 10)
            #expect(try await items.all[20..<40].count() == 5)
            #expect(try await items.all[5...].count() == 20)
            #expect(try await items.all[30...].count() == 0)
            #expect(try await items.filter(R.n >= 10)[2..<5].count() == 3)
            #expect(try await items.filter(R.group == "odd")[10...].count() == 2)
            #expect(try await items.search("item").count() == 25)
        }
    }

    @Test(arguments: StoreBackend.allCases) func firstReturnsTheFirstEntityOrNil(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            #expect(try await items.all.first() == nil)
            try await Self.insertNumbered(10, into: items)

            #expect(try await items.order(by: "-n").first()?["n"] == 9)
            #expect(try await items.order(by: "n")[5...].first()?["n"] == 5)
            #expect(try await items.filter(R.n > 100).first() == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func valuesPicksFieldsOfEachEntity(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await items.bulkCreate([
                ["name": "Desk", "n": 1, "address": ["city": "Oslo", "zip": "0150"]],
                ["name": "Lamp", "n": 2, "address": ["zip": "5003"]],
                ["name": "Chair", "n": 3],
            ])

            let values = try await items.order(by: "n").values("name", "address.city").all()
            #expect(
                values == [
                    ["name": "Desk", "address.city": "Oslo"], ["name": "Lamp"], ["name": "Chair"],
                ]
            )
        }
    }

    @Test(arguments: StoreBackend.allCases, [1, 7, 100, 250, 1000])
    func iterationYieldsEveryEntityOnceInOrderWhateverThePageSize(_ backend: StoreBackend, pageSize: Int) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(250, into: items)

            var seen: [Int64] = []
            for try await entity in items.order(by: "n").pageSize(pageSize) {
                seen += Self.numbers([entity])
            }
            #expect(seen == Array(0..<250))
        }
    }

    @Test(arguments: StoreBackend.allCases, [1, 7, 250])
    func pagingByIDYieldsEveryEntityOnceInIDOrder(_ backend: StoreBackend, pageSize: Int) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(250, into: items)
            let expected = try await items.order(by: "id").collect().compactMap(\.entityID)

            var ids: [String] = []
            for try await entity in items.all.pagedByID().pageSize(pageSize) { ids.append(entity.entityID ?? "") }
            #expect(ids == expected)
            let odd = try await items.filter(R.group == "odd").pagedByID().pageSize(pageSize).collect()
            #expect(odd.count == 125)
            #expect(try await items.all.pagedByID().pageSize(pageSize)[10..<20].collect().count == 10)
            #expect(
                Set(try await items.all.pagedByID().decoded(as: Numbered.self).reduce(into: []) { $0.append($1.n) })
                    .count == 250
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func pagingByIDNeitherSkipsNorRepeatsWhenEarlierEntitiesAreDeleted(
        _ backend: StoreBackend
    ) async throws {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(60, into: items)
            let all = try await items.order(by: "id").collect().compactMap(\.entityID)

            var ids: [String] = []
            var deleted = false
            for try await entity in items.all.pagedByID().pageSize(10) {
                ids.append(entity.entityID ?? "")
                if ids.count == 15, !deleted {
                    // Deleting entities already read would shift every later offset by 10.
                    try await items.bulkDelete(ids: Array(all[0..<10]))
                    deleted = true
                }
            }
            #expect(ids == all)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theConfiguredPageSizeAppliesToEverySet(_ backend: StoreBackend)
        async throws
    {
        var configuration = EntityClient.Configuration()
        configuration.pageSize = 9
        try await withEntityHub(backend, configuration: configuration) { client in
            let items = client["items"]
            try await Self.insertNumbered(40, into: items)
            #expect(try await Self.numbers(items.order(by: "-n")) == Array((0..<40).reversed()))
            #expect(try await Self.numbers(items.order(by: "n")[3..<31]) == Array(3..<31))
        }
    }

    @Test(arguments: StoreBackend.allCases) func decodedYieldsTypedEntities(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate([
                Product(name: "Lamp", price: 25), Product(name: "Desk", price: 120), Product(name: "Chair", price: 60),
            ])

            let decoded = try await products.order(by: "-price").pageSize(2).decoded(as: Product.self).all()
            #expect(decoded.map(\.name) == ["Desk", "Chair", "Lamp"])
            #expect(decoded.allSatisfy { $0.id?.hasPrefix("PRD-") == true })
        }
    }

    @Test(arguments: StoreBackend.allCases) func collectFailsWhenTheSetHasMoreThanTheMaximum(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let items = client["items"]
            try await Self.insertNumbered(5, into: items)

            #expect(try await items.all.collect(upTo: 5).count == 5)
            let error = try await #require(throws: EntityClientError.self) {
                try await items.all.pageSize(2).collect(upTo: 4)
            }
            #expect(error.errors.first?.contains("more than 4") == true)
        }
    }
}

/// An entity of ``ResourceSetQueryTests/insertNumbered(_:into:)`` decoded as a type.
private struct Numbered: Decodable, Sendable {
    let n: Int
}
