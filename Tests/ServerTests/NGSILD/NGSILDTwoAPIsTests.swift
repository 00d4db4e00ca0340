import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// One entity, two APIs (issue 12, item 6): what NGSI-LD writes, REST reads, filters and patches, and
/// what REST writes without `type`, NGSI-LD never shows.
@Suite struct NGSILDTwoAPIsTests {
    static let restPath = "/api/v1/ngsild/urn%3Angsi-ld%3ARoom%3A1"

    @Test(arguments: StoreBackend.allCases)
    func anNGSILDEntityThroughREST(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let rest = try await client.send(.get, Self.restPath)
            #expect(rest.status == .ok, "\(rest.text)")
            #expect(rest.json["id"] == "urn:ngsi-ld:Room:1")
            #expect(rest.json["type"] == "Room")
            #expect(rest.json["temperature"]?["value"] == 20, "\(rest.text)")
            #expect(rest.json["temperature"]?["unitCode"] == "CEL")
            #expect(isTimestamp(rest.json["temperature"]?["createdAt"]), "instances keep their times: \(rest.text)")
            #expect(rest.json["isPartOf"]?["object"] == "urn:ngsi-ld:Building:1")
            #expect(rest.json["@context"] == nil && rest.json["createdAt"] == nil, "\(rest.text)")
            #expect(rest.json["_meta"]?["version"] == 1)

            let found = try await client.send(.get, "/api/v1/ngsild?eq(temperature.value,20)")
            #expect(found.status == .ok, "\(found.text)")
            #expect(found.ids == ["urn:ngsi-ld:Room:1"], "\(found.text)")
            #expect(found.total == 1)
            let notFound = try await client.send(.get, "/api/v1/ngsild?eq(temperature.value,21)")
            #expect(notFound.total == 0)

            let patched = try await client.send(
                .patch,
                Self.restPath,
                json: #"{"temperature": {"value": 23}, "name": null}"#
            )
            #expect(patched.status == .ok, "\(patched.text)")
            let ngsild = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1")
            #expect(ngsild.json["temperature"]?["value"] == 23, "\(ngsild.text)")
            #expect(ngsild.json["temperature"]?["unitCode"] == "CEL")
            #expect(ngsild.json["name"] == nil)
            #expect(ngsild.json["temperature"]?["createdAt"] == nil, "system times only with sysAttrs")

            // A write through NGSI-LD is a new version for REST.
            let updated = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Room:1/attrs/temperature",
                #"{"value": 24}"#
            )
            #expect(updated.status == .noContent)
            let again = try await client.send(.get, Self.restPath)
            #expect(again.json["temperature"]?["value"] == 24)
            #expect(again.json["_meta"]?["version"] == 3, "\(again.text)")

            let deleted = try await client.send(.delete, Self.restPath)
            #expect(deleted.status == .noContent)
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1").status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRESTDocumentWithTypeIsAnEntityInConciseForm(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let created = try await client.send(
                .post,
                "/api/v1/ngsild",
                json: #"{"id": "urn:ngsi-ld:Room:7", "type": "Room", "temperature": 21}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let read = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:7")
            #expect(read.status == .ok, "\(read.text)")
            #expect(
                read.json["temperature"] == (try JSON(parsing: #"{"type": "Property", "value": 21}"#)),
                "\(read.text)"
            )
            #expect(try await client.storedCount() == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRESTDocumentWithoutTypeIsInvisible(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let created = try await client.send(
                .post,
                "/api/v1/ngsild",
                json: #"{"id": "urn:ngsi-ld:Thing:9", "temperature": {"type": "Property", "value": 20}}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let id = "urn:ngsi-ld:Thing:9"
            let get = try await client.ld(.get, "/entities/\(id)")
            expectProblem(get, .notFound, "ResourceNotFound", "retrieve")
            let list = try await client.ld(.get, "/entities?local=true&count=true")
            #expect(list.orderedIDs == ["urn:ngsi-ld:Room:1"], "\(list.text)")
            #expect(list.headers[.ngsildResultsCount] == "1")
            let byAttribute = try await client.ld(.get, "/entities?attrs=temperature&count=true")
            #expect(byAttribute.orderedIDs == ["urn:ngsi-ld:Room:1"], "\(byAttribute.text)")
            let types = try await client.ld(.get, "/types?details=true")
            #expect(types.json.arrayValue?.count == 1, "\(types.text)")
            let append = try await client.ld(.post, "/entities/\(id)/attrs", #"{"a": 1}"#)
            expectProblem(append, .notFound, "ResourceNotFound", "append")
            let delete = try await client.ld(.delete, "/entities/\(id)")
            expectProblem(delete, .notFound, "ResourceNotFound", "delete")
            let batchDelete = try await client.ld(.post, "/entityOperations/delete", #"["\#(id)"]"#)
            NGSILDBatchTests.expectResult(batchDelete, success: [], errors: [(id, "ResourceNotFound")], "batch delete")
            let batchUpdate = try await client.ld(.post, "/entityOperations/update", #"[{"id": "\#(id)", "a": 1}]"#)
            NGSILDBatchTests.expectResult(batchUpdate, success: [], errors: [(id, "ResourceNotFound")], "batch update")
            // The REST document is untouched.
            let rest = try await client.send(.get, "/api/v1/ngsild/urn%3Angsi-ld%3AThing%3A9")
            #expect(rest.status == .ok && rest.json["_meta"]?["version"] == 1, "\(rest.text)")
            #expect(rest.json["a"] == nil)
        }
    }
}
