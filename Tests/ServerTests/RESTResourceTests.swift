import EntityModel
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

@Suite struct RESTResourceTests {
    @Test(arguments: StoreBackend.allCases) func healthAnswersOK(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let response = try await client.send(.get, "/health")
            #expect(response.status == .ok)
            #expect(response.json == ["status": "ok"])
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .ok)
            #expect(ready.json == ["status": "ready"])
            #expect(try await client.send(.post, "/ready").status == .methodNotAllowed)
        }
    }

    @Test(arguments: StoreBackend.allCases) func createReadUpdatePatchDeleteRoundTrip(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let created = try await client.send(
                .post,
                "/api/v1/products",
                json: #"{"name":"Widget","price":19.99,"status":"draft"}"#
            )
            #expect(created.status == .created)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(id.wholeMatch(of: /PRD-\d{3}-\d{3}-\d{3}/) != nil)
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.headers[.location] == "/api/v1/products/\(id)")
            #expect(created.text.contains(#""price":19.99"#))
            #expect(created.json["_meta"]?["version"] == 1)

            let read = try await client.send(.get, "/api/v1/products/\(id)")
            #expect(read.status == .ok)
            #expect(read.json["name"] == "Widget")
            #expect(read.headers[.contentType] == "application/json")

            let updated = try await client.send(.put, "/api/v1/products/\(id)", json: #"{"status":"published"}"#)
            #expect(updated.status == .ok)
            #expect(updated.json["status"] == "published")
            #expect(updated.json["name"] == "Widget")
            #expect(updated.headers[.eTag] == "\"2\"")

            let patched = try await client.send(
                .patch,
                "/api/v1/products/\(id)",
                json: #"{"status":null,"tags":["a"]}"#
            )
            #expect(patched.json["status"] == nil)
            #expect(patched.json["tags"] == ["a"])

            let deleted = try await client.send(.delete, "/api/v1/products/\(id)")
            #expect(deleted.status == .noContent)
            let gone = try await client.send(.get, "/api/v1/products/\(id)")
            #expect(gone.status == .notFound)
            #expect(gone.errorCode == "NOT_FOUND")
        }
    }

    @Test(arguments: StoreBackend.allCases) func largeIntegersAndDecimalsRoundTripByteExact(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let created = try await client.send(
                .post,
                "/api/v1/products",
                json: #"{"name":"N","price":0.1000000000000000055511151231257827,"ref":9007199254740993}"#
            )
            let id = try #require(created.json["id"]?.stringValue)
            let read = try await client.send(.get, "/api/v1/products/\(id)")
            #expect(read.text.contains(#""price":0.1000000000000000055511151231257827"#))
            #expect(read.text.contains(#""ref":9007199254740993"#))
        }
    }

    @Test(arguments: StoreBackend.allCases) func ifMatchGuardsAgainstLostUpdates(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let created = try await client.send(.post, "/api/v1/products", json: #"{"name":"A"}"#)
            let id = try #require(created.json["id"]?.stringValue)
            let stale = try await client.send(
                .put,
                "/api/v1/products/\(id)",
                json: #"{"name":"B"}"#,
                headers: [.ifMatch: "\"7\""]
            )
            #expect(stale.status == .preconditionFailed)
            #expect(stale.errorCode == "VERSION_MISMATCH")
            let fresh = try await client.send(
                .put,
                "/api/v1/products/\(id)",
                json: #"{"name":"B"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(fresh.status == .ok)
            let staleDelete = try await client.send(.delete, "/api/v1/products/\(id)", headers: [.ifMatch: "\"1\""])
            #expect(staleDelete.status == .preconditionFailed)
            #expect(try await client.send(.get, "/api/v1/products/\(id)").json["name"] == "B")
        }
    }

    @Test(arguments: StoreBackend.allCases) func actionsRunOnResourcesAndCollections(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            _ = try await client.send(
                .post,
                "/api/v1/products",
                json: #"[{"id":"P1","name":"A","status":"published"},{"id":"P2","name":"B","status":"draft"}]"#
            )
            let ended = try await client.send(.post, "/api/v1/products/P1/endsale")
            #expect(ended.status == .ok)
            #expect(ended.json["status"] == "endofsale")
            let refused = try await client.send(.post, "/api/v1/products/P2/endsale")
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "ACTION_CONDITION_FAILED")
            let bulk = try await client.send(.post, "/api/v1/products/discontinue")
            #expect(bulk.json == ["updated": 1])
            #expect(try await client.send(.get, "/api/v1/products/P2").json["status"] == "discontinued")
        }
    }

    @Test(arguments: StoreBackend.allCases) func namespacesAndNestedCollections(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let orphan = try await client.send(
                .post,
                "/api/v1/devops/services/SRVC-9/environments",
                json: #"{"name":"prod"}"#
            )
            #expect(orphan.status == .notFound)
            let service = try await client.send(.post, "/api/v1/devops/services", json: #"{"name":"api"}"#)
            let serviceID = try #require(service.json["id"]?.stringValue)
            #expect(serviceID.hasPrefix("SRVC-"))
            let environment = try await client.send(
                .post,
                "/api/v1/devops/services/\(serviceID)/environments",
                json: #"{"name":"prod"}"#
            )
            #expect(environment.status == .created)
            let list = try await client.send(.get, "/api/v1/devops/services/\(serviceID)/environments")
            #expect(list.json.arrayValue?.count == 1)
            #expect(list.headers[.contentRange] == "items 0-0/1")
        }
    }
}
