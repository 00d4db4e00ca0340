import EntityClient
import EntityModel
import Foundation
import TestStores
import Testing

/// One product of the filter tests' catalogue, kept here to compute what each filter must return.
struct CatalogueItem: Sendable {
    var name: String
    var price: Double?
    var status: String?

    var json: JSON {
        var members: [String: JSON] = ["name": .string(name)]
        if let price { members["price"] = .number(JSONNumber(String(price))!) }
        if let status { members["status"] = .string(status) }
        return .object(members)
    }

    /// Twenty-four products: four kinds, prices from 0 to 49.5 (two without one), three statuses and
    /// some without a status.
    static let catalogue: [CatalogueItem] = (0..<24).map { index in
        let kind = ["Desk", "Lamp", "Chair", "Shelf"][index % 4]
        let price: Double? = index % 11 == 5 ? nil : Double((index * 37) % 50) + (index.isMultiple(of: 2) ? 0 : 0.5)
        let status: String? = index % 5 == 0 ? nil : ["draft", "published", "endofsale"][index % 3]
        return CatalogueItem(name: "\(kind) \(index)", price: price, status: status)
    }
}

/// A typed filter with the Swift predicate that says which catalogue items it must return.
struct FilterCase: Sendable, CustomTestStringConvertible {
    var filter: RQLFilter
    var matches: @Sendable (CatalogueItem) -> Bool

    var testDescription: String { filter.rql }

    static let all: [FilterCase] = [
        FilterCase(filter: R.status == "published") { $0.status == "published" },
        FilterCase(filter: R.status == "published" && R["price"] > 10) {
            $0.status == "published" && ($0.price ?? -1) > 10
        },
        FilterCase(filter: R["price"] >= 10 && R["price"] < 30.5 && R.status != "draft") {
            ($0.price ?? -1) >= 10 && ($0.price ?? 99) < 30.5 && $0.status != "draft"
        },
        FilterCase(filter: R.status.in(["draft", "endofsale"])) { ["draft", "endofsale"].contains($0.status) },
        FilterCase(filter: R.status.out(["draft"])) { $0.status != "draft" },
        FilterCase(filter: R.name.like("Desk*")) { $0.name.hasPrefix("Desk ") },
        FilterCase(filter: R.name.ilike("*AMP 1*")) { $0.name.hasPrefix("Lamp 1") },
        FilterCase(filter: !(R.status == "published")) { $0.status != "published" },
        FilterCase(filter: R.status == "draft" || R["price"] < 5) { $0.status == "draft" || ($0.price ?? 99) < 5 },
        FilterCase(filter: R.status == nil) { $0.status == nil },
        FilterCase(filter: R.price != nil && R.status.isNotNull) { $0.price != nil && $0.status != nil },
        FilterCase(filter: !R.name.like("Desk*") || R.status == nil) { !$0.name.hasPrefix("Desk") || $0.status == nil },
        FilterCase(filter: (R.status == "draft" || R.status == "published") && !(R["price"] <= 20)) {
            ["draft", "published"].contains($0.status) && ($0.price.map { $0 > 20 } ?? true)
        },
        FilterCase(filter: R["price"] == 37.5 || R["price"] == 24) { $0.price == 37.5 || $0.price == 24 },
    ]
}

/// A filter in RQL text with the Swift predicate that says which catalogue items it must return.
struct RQLCase: Sendable, CustomTestStringConvertible {
    var rql: String
    var matches: @Sendable (CatalogueItem) -> Bool

    var testDescription: String { rql }

    static let all: [RQLCase] = [
        RQLCase(rql: "eq(status,published)") { $0.status == "published" },
        RQLCase(rql: "eq(status,published)&gt(price,10)") { $0.status == "published" && ($0.price ?? -1) > 10 },
        RQLCase(rql: "or(eq(status,draft),lt(price,5))") { $0.status == "draft" || ($0.price ?? 99) < 5 },
        RQLCase(rql: "in(status,(draft,endofsale))") { ["draft", "endofsale"].contains($0.status) },
        RQLCase(rql: "ne(status,null())") { $0.status != nil },
        RQLCase(rql: "like(name,Lamp*)") { $0.name.hasPrefix("Lamp") },
        RQLCase(rql: "not(eq(status,draft))&ge(price,25)") { $0.status != "draft" && ($0.price ?? -1) >= 25 },
    ]
}

@Suite struct ResourceSetFilterTests {
    /// The names of the catalogue items `matches` selects.
    static func expectedNames(_ matches: (CatalogueItem) -> Bool) -> Set<String> {
        Set(CatalogueItem.catalogue.filter(matches).map(\.name))
    }

    static func names(_ set: ResourceSet) async throws -> Set<String> {
        Set(try await set.collect().compactMap { $0["name"]?.stringValue })
    }

    @Test(arguments: StoreBackend.allCases, FilterCase.all)
    func aTypedFilterReturnsExactlyTheMatchingEntities(_ backend: StoreBackend, _ filterCase: FilterCase) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate(CatalogueItem.catalogue.map(\.json))

            let expected = Self.expectedNames(filterCase.matches)
            #expect(!expected.isEmpty)
            #expect(try await Self.names(products.filter(filterCase.filter)) == expected)
            #expect(try await products.filter(filterCase.filter).count() == expected.count)
        }
    }

    @Test(arguments: StoreBackend.allCases, RQLCase.all)
    func anRQLFilterReturnsExactlyTheMatchingEntities(_ backend: StoreBackend, _ rqlCase: RQLCase) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate(CatalogueItem.catalogue.map(\.json))

            let expected = Self.expectedNames(rqlCase.matches)
            #expect(!expected.isEmpty)
            #expect(try await Self.names(products.filter(rqlCase.rql)) == expected)
        }
    }

    @Test(arguments: StoreBackend.allCases) func filtersAddUp(_ backend: StoreBackend) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            try await products.bulkCreate(CatalogueItem.catalogue.map(\.json))

            let set = products.filter(R.status == "published").filter("gt(price,10)").filter(R.name.like("*a*"))
            let expected = Self.expectedNames {
                $0.status == "published" && ($0.price ?? -1) > 10 && $0.name.contains("a")
            }
            #expect(!expected.isEmpty)
            #expect(try await Self.names(set) == expected)
        }
    }

    @Test(arguments: StoreBackend.allCases) func integersBooleansDecimalsAndNestedFieldsFilterByTheirDeclaredType(
        _ backend: StoreBackend
    ) async throws {
        let gadgets: [(label: String, count: Int, active: Bool, weight: Double, color: String)] = [
            ("a", 1, true, 0.5, "red"), ("b", 5, false, 1.25, "blue"), ("c", 10, true, 2, "red"),
            ("d", 20, false, 3.5, "green"),
        ]
        try await withEntityHub(backend) { client in
            let collection = client["gadgets"]
            try await collection.bulkCreate(
                gadgets.map { gadget -> JSON in
                    [
                        "label": .string(gadget.label), "count": .integer(Int64(gadget.count)),
                        "active": .bool(gadget.active),
                        "spec": [
                            "weight": .number(JSONNumber(String(gadget.weight))!), "color": .string(gadget.color),
                        ],
                    ]
                }
            )
            func labels(_ filter: RQLFilter) async throws -> [String] {
                try await collection.filter(filter).order(by: "label").collect().compactMap { $0["label"]?.stringValue }
            }

            #expect(try await labels(R.count > 4) == gadgets.filter { $0.count > 4 }.map(\.label))
            #expect(try await labels(R.count.in([1, 20])) == ["a", "d"])
            #expect(try await labels(R.active == true) == gadgets.filter(\.active).map(\.label))
            #expect(try await labels(R.active != true) == gadgets.filter { !$0.active }.map(\.label))
            #expect(try await labels(R.spec.weight <= 1.25) == gadgets.filter { $0.weight <= 1.25 }.map(\.label))
            #expect(
                try await labels(R.spec.color.in(["red", "green"]) && R.active == false)
                    == gadgets.filter { ["red", "green"].contains($0.color) && !$0.active }.map(\.label)
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func datesFilterDateTimeFields(_ backend: StoreBackend) async throws {
        let released = [1_704_164_645.0, 1_704_164_645.250, 1_706_000_000.0].map(Date.init(timeIntervalSince1970:))
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.bulkCreate(
                released.enumerated().map { Product(name: "P\($0.offset)", released: $0.element) }
            )
            #expect(created.map(\.released) == released)

            let names = { (filter: RQLFilter) in
                try await products.filter(filter).order(by: "released").decoded(as: Product.self).all().map(\.name)
            }
            #expect(try await names(R.released >= released[1]) == ["P1", "P2"])
            #expect(try await names(R.released < released[1]) == ["P0"])
            #expect(try await names(R.released == released[2]) == ["P2"])
        }
    }

    static let awkwardStrings = [
        "a,b", "Desk (oak)", "close)paren", "O'Brien", "say \"hi\"", "two  spaces", " leading", "ünïcødé ✓ 日本",
        "a&b=c", "100%", "%41", "1+1", "#hash", "semi;colon", "slash/back\\slash", "*star*", "null()", "10",
        "true", "'quoted'", "it''s",
    ]

    @Test(arguments: StoreBackend.allCases, awkwardStrings)
    func stringsWithAwkwardCharactersRoundTripThroughFilters(_ backend: StoreBackend, _ value: String) async throws {
        try await withEntityHub(backend) { client in
            let products = client["products"]
            let created = try await products.bulkCreate([["name": .string(value)], ["name": "decoy"]])
            let ids = JSON.ids(created)
            #expect(try await products[ids[0]].get()["name"] == .string(value))

            #expect(try await JSON.ids(products.filter(R.name == value).collect()) == [ids[0]])
            #expect(try await JSON.ids(products.filter(R.name.in([value, "other"])).collect()) == [ids[0]])
            #expect(try await JSON.ids(products.filter(R.name != value).collect()) == [ids[1]])
            #expect(try await products.filter(R.name.out([value])).count() == 1)
        }
    }

    @Test(
        arguments: [
            ("eq(name,'a,b')", "a,b"),
            ("eq(name,\"Desk (oak)\")", "Desk (oak)"),
            ("eq(name,'O''Brien')", "O'Brien"),
            ("eq(name,two  spaces)", "two  spaces"),
            ("eq(name,ünïcødé ✓ 日本)", "ünïcødé ✓ 日本"),
            ("eq(name,100%)", "100%"),
            ("eq(name,1+1)", "1+1"),
            ("in(name,('a,b',decoy))", "a,b"),
        ]
    )
    func rqlTextIsSentAsWritten(rql: String, name: String) async throws {
        for backend in StoreBackend.allCases {
            try await withEntityHub(backend) { client in
                let products = client["products"]
                try await products.bulkCreate([["name": .string(name)], ["name": "other"]])

                let found = try await products.filter(rql).collect().map { $0["name"] }
                #expect(found == [.string(name)], "\(backend)")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func anInvalidFilterFailsWithTheServersMessage(_ backend: StoreBackend)
        async throws
    {
        try await withEntityHub(backend) { client in
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].filter("eq(price,cheap)").count()
            }
            #expect(error.code == .server)
            #expect(error.status == 400)
            #expect(error.errorCode == "INVALID_RQL")
            #expect(error.errors.contains { $0.contains("price") })
        }
    }
}
