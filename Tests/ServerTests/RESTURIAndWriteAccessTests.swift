import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// The schema of these tests: `ngsild` (IRI ids, an open broker), `rooms` (IRI ids, private) and
/// `team` (written by every signed-in user).
let uriSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/uri-schema.json")

/// IRI ids in REST paths, and the collection write defaults through REST.
@Suite struct RESTURIAndWriteAccessTests {
    @Test(arguments: StoreBackend.allCases) func iriIDsWorkInPathsWithOrWithoutPercentEncoding(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend, schema: uriSchemaURL) { client in
            let created = try await client.send(.post, "/api/v1/rooms", json: #"{"id":"urn:ngsi-ld:Room:1","n":1}"#)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/rooms/urn:ngsi-ld:Room:1")
            for path in ["/api/v1/rooms/urn%3Angsi-ld%3ARoom%3A1", "/api/v1/rooms/urn:ngsi-ld:Room:1"] {
                let read = try await client.send(.get, path)
                #expect(read.status == .ok, "\(path)")
                #expect(read.json["id"] == "urn:ngsi-ld:Room:1")
            }
            let patched = try await client.send(.patch, "/api/v1/rooms/urn%3Angsi-ld%3ARoom%3A1", json: #"{"n":2}"#)
            #expect(patched.json["n"] == 2)
            let generated = try await client.send(.post, "/api/v1/rooms", json: #"{"n":3}"#)
            #expect(generated.json["id"]?.stringValue?.hasPrefix("urn:uuid:") == true)
            let bad = try await client.send(.post, "/api/v1/rooms", json: #"{"id":"Room 1"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorCode == "VALIDATION_FAILED")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aSlashInsideAnIDTravelsPercentEncoded(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend, schema: uriSchemaURL) { client in
            let created = try await client.send(
                .post,
                "/api/v1/rooms",
                json: #"{"id":"https://example.org/rooms/1?x#y"}"#
            )
            #expect(created.status == .created)
            let location = try #require(created.headers[.location])
            #expect(location == "/api/v1/rooms/https:%2F%2Fexample.org%2Frooms%2F1%3Fx%23y")
            let read = try await client.send(.get, location)
            #expect(read.status == .ok)
            #expect(read.json["id"] == "https://example.org/rooms/1?x#y")
            let updated = try await client.send(.put, location, json: #"{"n":1}"#)
            #expect(updated.json["n"] == 1)
            #expect(try await client.send(.delete, location).status == .noContent)
            #expect(try await client.send(.get, location).status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anOpenBrokerLetsAnonymousCallersWriteEverything(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend, schema: uriSchemaURL) { client in
            let alice = try await client.makeUser("alice")
            let created = try await client.call(
                .post,
                "/api/v1/ngsild",
                json: #"{"id":"urn:a:1","v":1}"#,
                authorization: alice
            )
            #expect(created.status == .created)
            let replaced = try await client.call(.put, "/api/v1/ngsild/urn:a:1", json: #"{"v":2}"#, authorization: nil)
            #expect(replaced.status == .ok)
            let listed = try await client.call(.get, "/api/v1/ngsild", authorization: nil)
            #expect(listed.ids == ["urn:a:1"])
            let deleted = try await client.call(.delete, "/api/v1/ngsild/urn%3Aa%3A1", authorization: nil)
            #expect(deleted.status == .noContent)
        }
    }

    @Test(arguments: StoreBackend.allCases) func authenticatedWriteGivesEverySignedInUserDThroughREST(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend, schema: uriSchemaURL) { client in
            let alice = try await client.makeUser("alice")
            let bob = try await client.makeUser("bob")
            let created = try await client.call(.post, "/api/v1/team", json: #"{"v":1}"#, authorization: alice)
            let id = try #require(created.json["id"]?.stringValue)
            let updated = try await client.call(.put, "/api/v1/team/\(id)", json: #"{"v":2}"#, authorization: bob)
            #expect(updated.status == .ok)
            #expect(try await client.call(.get, "/api/v1/team", authorization: bob).total == 1)
            #expect(try await client.call(.get, "/api/v1/team/\(id)", authorization: nil).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/team", authorization: nil).total == 0)
            let sharing = try await client.call(.get, "/api/v1/team/\(id)/_access", authorization: alice)
            let rights = sharing.json.arrayValue?.compactMap { entry in
                entry["user"]?.stringValue.map { ($0, entry["right"]?.stringValue ?? "-") }
            }
            #expect(rights?.map { "\($0.0)=\($0.1)" } == ["admin=C", "alice=C", "bob=D"])
            #expect(try await client.call(.delete, "/api/v1/team/\(id)", authorization: bob).status == .noContent)
        }
    }
}
