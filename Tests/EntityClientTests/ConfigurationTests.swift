import EntityClient
import EntityModel
import Testing

@Suite struct ConfigurationTests {
    @Test(
        arguments: [
            ("http://127.0.0.1:1", "http://127.0.0.1:1/api/v1"),
            ("http://127.0.0.1:1/", "http://127.0.0.1:1/api/v1"),
            ("https://entities.example.com", "https://entities.example.com/api/v1"),
            ("HTTP://localhost:8080", "HTTP://localhost:8080/api/v1"),
            ("http://127.0.0.1:1/api/v1", "http://127.0.0.1:1/api/v1"),
            ("http://127.0.0.1:1/api/v1/", "http://127.0.0.1:1/api/v1"),
            ("http://127.0.0.1:1/hub/api/v2", "http://127.0.0.1:1/hub/api/v2"),
        ]
    )
    func anEndpointWithoutAPathMeansTheRESTAPI(endpoint: String, expected: String) throws {
        #expect(try EntityClient(endpoint: endpoint).endpoint == expected)
    }

    @Test(
        arguments: [
            "", "localhost:8080", "127.0.0.1:8080", "ftp://127.0.0.1/api/v1", "http://", "http:///api/v1",
            "not a url", "http://127.0.0.1:1?tenant=acme", "http://127.0.0.1:1/api/v1#top",
        ]
    )
    func anInvalidEndpointIsRefused(endpoint: String) throws {
        let error = try #require(throws: EntityClientError.self) { try EntityClient(endpoint: endpoint) }
        #expect(error.code == .invalidArgument)
        #expect(error.request == nil)
        #expect(error.errors.first?.contains("endpoint") == true)
        #expect(error.description.hasPrefix("invalidArgument: endpoint"))
    }

    @Test func aPageSizeBelowOneIsRefused() throws {
        var configuration = EntityClient.Configuration()
        configuration.pageSize = 0
        let error = try #require(throws: EntityClientError.self) {
            try EntityClient(endpoint: "http://127.0.0.1:1", configuration: configuration)
        }
        #expect(error.code == .invalidArgument)
    }

    @Test func theApiKeyUserAgentAndDefaultHeadersReachTheServer() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "PRD-1"])
        } _: { port, received in
            var configuration = EntityClient.Configuration()
            configuration.userAgent = "inventory-sync/2.1"
            configuration.defaultHeaders = ["X-Tenant": "acme", "X-Trace": "abc123"]
            let client = try EntityClient(
                endpoint: "http://127.0.0.1:\(port)",
                apiKey: "ApiKey SU-000-000-000:secret",
                configuration: configuration
            )
            _ = try await client["products"]["PRD-1"].get()

            let headers = try #require(await received.values.first?.headers)
            #expect(headers["authorization"] == "ApiKey SU-000-000-000:secret")
            #expect(headers["user-agent"] == "inventory-sync/2.1")
            #expect(headers["x-tenant"] == "acme")
            #expect(headers["x-trace"] == "abc123")
            #expect(headers["accept"] == "application/json")
        }
    }

    @Test func withoutAnApiKeyNoAuthorizationIsSent() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "PRD-1"])
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            _ = try await client["products"]["PRD-1"].get()

            let headers = try #require(await received.values.first?.headers)
            #expect(headers["authorization"] == nil)
            #expect(headers["user-agent"] == "EntityClient/1 Swift")
        }
    }

    @Test func jsonBodiesAreSentAsJSON() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "PRD-1"], status: .created)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            try await client["products"].create(["name": "Lamp, \"large\"", "tags": ["ünï"]])

            let request = try #require(await received.values.first)
            #expect(request.method == "POST")
            #expect(request.headers["content-type"] == "application/json")
            #expect(try JSON(parsing: request.body) == ["name": "Lamp, \"large\"", "tags": ["ünï"]])
        }
    }

    @Test func ifVersionIsSentAsIfMatch() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "PRD-1"])
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let lamp = client["products"]["PRD-1"]
            try await lamp.update(["price": 30], ifVersion: 7)
            try await lamp.patch(["price": 31], ifVersion: 8)
            try await lamp.update(["price": 32])

            let requests = await received.values
            #expect(requests.map(\.method) == ["PUT", "PATCH", "PUT"])
            #expect(requests.map { $0.headers["if-match"] } == ["\"7\"", "\"8\"", nil])
            // A conditional write carries a key of its own, so its retry is answered rather than refused.
            let keys = requests.map { $0.headers["idempotency-key"] }
            #expect(keys[0] != nil && keys[1] != nil && keys[0] != keys[1])
            #expect(keys[2] == nil)
        }
    }
}
