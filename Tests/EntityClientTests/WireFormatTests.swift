import EntityClient
import EntityModel
import Testing

/// What the server receives: paths, query strings and pages, as the Connect protocol lays them out.
@Suite struct WireFormatTests {
    static func numbered(_ count: Int) -> [JSON] {
        (0..<count).map { ["id": .string("I-\($0)"), "n": .integer(Int64($0))] }
    }

    @Test func aListQueryPutsSelectFilterOrderingWindowAndSearchInTheConnectOrder() async throws {
        try await withStandInServer { request, _ in
            Reply.page(of: [], for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let set = client["products"]
                .filter(R.status == "published")
                .filter("gt(price,10)")
                .order(by: "-created", "name")
                .select("id", "name")
                .search("desk lamp+1")
            _ = try await set.first()
            _ = try await set.count()
            _ = try await set.pageSize(25).collect()

            let uris = await received.values.map(\.uri)
            let rql = "select(id,name)&eq(status,'published')&gt(price,10)&ordering(-created,name)"
            #expect(
                uris == [
                    "/api/v1/products?\(rql)&limit=1&offset=0&search=desk%20lamp%2B1",
                    "/api/v1/products?\(rql)&limit=0&offset=0&search=desk%20lamp%2B1",
                    "/api/v1/products?\(rql)&limit=25&offset=0&search=desk%20lamp%2B1",
                ]
            )
        }
    }

    @Test func aSetWithoutRefinementsAsksForTheFirstPage() async throws {
        try await withStandInServer { request, _ in
            Reply.page(of: [], for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            #expect(try await client["products"].all.collect().isEmpty)
            #expect(await received.values.map(\.uri) == ["/api/v1/products?limit=100&offset=0"])
        }
    }

    @Test(
        arguments: [
            (25, 10, [0, 10, 20]),  // the last page comes back short
            (20, 10, [0, 10]),  // Content-Range says the second page is the last
            (0, 10, [0]),
            (7, 100, [0]),
        ]
    )
    func iterationStopsWithoutAskingForAnEmptyPage(total: Int, pageSize: Int, offsets: [Int]) async throws {
        let items = Self.numbered(total)
        try await withStandInServer { request, _ in
            Reply.page(of: items, for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            #expect(try await client["items"].all.pageSize(pageSize).collect() == items)

            let requests = await received.values
            #expect(requests.map { $0.parameter("offset") } == offsets)
            #expect(requests.allSatisfy { $0.parameter("limit") == pageSize })
        }
    }

    @Test func aWindowAsksOnlyForTheEntitiesItHolds() async throws {
        let items = Self.numbered(100)
        try await withStandInServer { request, _ in
            Reply.page(of: items, for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            #expect(try await client["items"].all[10..<30].pageSize(7).collect() == Array(items[10..<30]))

            let requests = await received.values
            #expect(requests.map { $0.parameter("offset") } == [10, 17, 24])
            #expect(requests.map { $0.parameter("limit") } == [7, 7, 6])
        }
    }

    @Test func idsAndPathSegmentsArePercentEncoded() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "x"])
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            _ = try await client["items"]["a b?c#d/e%f"].get()
            _ = try await client["items"]["ünï"].action("do it").post()
            _ = try await client.send(.GET, "/items//x y/")

            let uris = await received.values.map(\.uri)
            #expect(
                uris == [
                    "/api/v1/items/a%20b%3Fc%23d%2Fe%25f", "/api/v1/items/%C3%BCn%C3%AF/do%20it", "/api/v1/items/x%20y",
                ]
            )
        }
    }

    @Test func theRawSendEncodesItsQueryLikeRQLText() async throws {
        try await withStandInServer { request, _ in
            Reply.page(of: [], for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            _ = try await client.send(.GET, "products", query: "eq(name,a b)&in(status,('x','y'))&limit=5")
            #expect(
                await received.values.map(\.uri) == ["/api/v1/products?eq(name,a%20b)&in(status,('x','y'))&limit=5"]
            )
        }
    }

    @Test func anRQLFilterWrittenAsTextIsEncodedLikeAFilterString() async throws {
        try await withStandInServer { request, _ in
            Reply.page(of: [], for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            _ = try await client["products"].filter(RQLFilter(rql: "eq(name,a b)") && R.price > 1).count()
            _ = try await client["products"].filter("eq(name,a b)").count()

            let queries = await received.values.map { $0.query ?? "" }
            #expect(queries == ["and(eq(name,a%20b),gt(price,1))&limit=0&offset=0", "eq(name,a%20b)&limit=0&offset=0"])
        }
    }
}
