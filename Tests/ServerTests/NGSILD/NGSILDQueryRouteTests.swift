import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// Query Entities (GET and POST), counts, paging and limits, `/types` and purge (§1 11, 12, 18, 19;
/// §5.2, §5.5). Every entity here is a Room, so nothing depends on filtering by type or `q` (that is in
/// ``NGSILDQueryFilterTests``).
@Suite struct NGSILDQueryRouteTests {
    static func createRooms(_ client: any TestClientProtocol, count: Int) async throws {
        let body = (1...count).map { entity("urn:ngsi-ld:Room:\($0)", temperature: 18 + $0) }.joined(separator: ",")
        let response = try await client.ld(.post, "/entityOperations/create", "[\(body)]")
        #expect(response.status == .created, "\(response.text)")
    }

    @Test(arguments: StoreBackend.allCases)
    func queryCountsAndOrdersById(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createRooms(client, count: 3)
            let all = try await client.ld(.get, "/entities?type=Room&count=true")
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.headers[.contentType] == "application/json")
            #expect(all.headers[.link] == LD.coreLink)
            #expect(all.headers[.ngsildResultsCount] == "3")
            #expect(all.orderedIDs == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:2", "urn:ngsi-ld:Room:3"])
            #expect(all.json.arrayValue?.first == (try json(entity("urn:ngsi-ld:Room:1", temperature: 19))))

            let noCount = try await client.ld(.get, "/entities?type=Room")
            #expect(noCount.headers[.ngsildResultsCount] == nil)

            let countOnly = try await client.ld(.get, "/entities?type=Room&limit=0&count=true")
            #expect(countOnly.status == .ok)
            #expect(countOnly.json == [])
            #expect(countOnly.headers[.ngsildResultsCount] == "3")
            #expect(countOnly.headers[.link] == LD.coreLink, "no paging links with limit=0")

            let simplified = try await client.ld(.get, "/entities?type=Room&options=keyValues&limit=1")
            #expect(
                simplified.json == (try json(#"[{"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": 19}]"#))
            )

            let ld = try await client.ld(.get, "/entities?type=Room&limit=1", accept: "application/ld+json")
            #expect(ld.headers[.contentType] == "application/ld+json")
            #expect(ld.json.arrayValue?.first?["@context"] == [.string(CoreContext.versionedURL)], "\(ld.text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func pagingLinksShareTheContextLinkHeader(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createRooms(client, count: 3)
            let middle = try await client.ld(.get, "/entities?type=Room&limit=1&count=true&offset=1")
            #expect(middle.orderedIDs == ["urn:ngsi-ld:Room:2"])
            #expect(middle.headers[values: .link].count == 1, "one Link header: \(middle.headers)")
            let link = middle.headers[.link] ?? ""
            #expect(link.hasPrefix(LD.coreLink), "\(link)")
            #expect(
                link.contains(#"</ngsi-ld/v1/entities?count=true&limit=1&offset=0&type=Room>; rel="prev""#),
                "\(link)"
            )
            #expect(
                link.contains(#"</ngsi-ld/v1/entities?count=true&limit=1&offset=2&type=Room>; rel="next""#),
                "\(link)"
            )

            let first = try await client.ld(.get, "/entities?type=Room&limit=2")
            #expect(first.orderedIDs == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:2"])
            let firstLink = first.headers[.link] ?? ""
            #expect(!firstLink.contains(#"rel="prev""#), "\(firstLink)")
            #expect(
                firstLink.contains(#"</ngsi-ld/v1/entities?limit=2&offset=2&type=Room>; rel="next""#),
                "\(firstLink)"
            )

            let last = try await client.ld(.get, "/entities?type=Room&limit=2&offset=2&count=true")
            #expect(last.orderedIDs == ["urn:ngsi-ld:Room:3"])
            let lastLink = last.headers[.link] ?? ""
            #expect(!lastLink.contains(#"rel="next""#), "\(lastLink)")
            #expect(lastLink.contains(#"</ngsi-ld/v1/entities?count=true&limit=2&offset=0&type=Room>; rel="prev""#))

            let beyond = try await client.ld(.get, "/entities?type=Room&limit=2&offset=10")
            #expect(beyond.status == .ok && beyond.json == [])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func limitsAndTooWideQueriesAreRefused(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createRooms(client, count: 1)
            let tooMany = try await client.ld(.get, "/entities?type=Room&limit=1001")
            expectProblem(tooMany, .forbidden, "TooManyResults", "limit above the maximum")
            #expect(try await client.ld(.get, "/entities?type=Room&limit=1000").status == .ok)
            let zero = try await client.ld(.get, "/entities?type=Room&limit=0")
            expectProblem(zero, .badRequest, "BadRequestData", detail: "limit", "limit=0 without count")
            let negative = try await client.ld(.get, "/entities?type=Room&offset=-1")
            expectProblem(negative, .badRequest, "BadRequestData", detail: "offset", "negative offset")
            let notANumber = try await client.ld(.get, "/entities?type=Room&limit=ten")
            expectProblem(notANumber, .badRequest, "BadRequestData", detail: "limit", "limit=ten")
            for query in ["", "?id=urn:ngsi-ld:Room:1", "?attrs=createdAt", "?count=true"] {
                let wide = try await client.ld(.get, "/entities\(query)")
                expectProblem(wide, .badRequest, "BadRequestData", "too wide: \(query)")
            }
            let idAttrs = try await client.ld(.get, "/entities?type=Room&attrs=id,type")
            expectProblem(idAttrs, .badRequest, "BadRequestData", "attrs=id,type")
            let allTypesRemote = try await client.ld(.get, "/entities?type=*&local=false")
            expectProblem(allTypesRemote, .badRequest, "BadRequestData", "type=* with local=false")
            let badID = try await client.ld(.get, "/entities?type=Room&id=not%20a%20uri")
            expectProblem(badID, .badRequest, "BadRequestData", "a bad id")
            // Wide but allowed: every type, local, or by an attribute.
            for query in ["type=*", "local=true", "attrs=temperature"] {
                let response = try await client.ld(.get, "/entities?\(query)&count=true")
                #expect(response.status == .ok, "\(query): \(response.text)")
                #expect(response.headers[.ngsildResultsCount] == "1", "\(query)")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func queryByPostAnswersLikeGet(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createRooms(client, count: 3)
            let body = #"{"type": "Query", "entities": [{"type": "Room"}]}"#
            let all = try await client.ld(.post, "/entityOperations/query", body)
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.orderedIDs == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:2", "urn:ngsi-ld:Room:3"])
            let get = try await client.ld(.get, "/entities?type=Room")
            #expect(all.json == get.json)

            let count = try await client.ld(.post, "/entityOperations/query?limit=0&count=true", body)
            #expect(count.json == [] && count.headers[.ngsildResultsCount] == "3", "\(count.headers)")
            let page = try await client.ld(
                .post,
                "/entityOperations/query?limit=1&offset=1&options=keyValues",
                #"{"type": "Query", "entities": [{"type": "Room"}], "attrs": ["temperature"]}"#,
                accept: "application/ld+json"
            )
            #expect(
                page.json
                    == (try json(
                        #"[{"id": "urn:ngsi-ld:Room:2", "type": "Room", "temperature": 20, "@context": ["\#(CoreContext.versionedURL)"]}]"#
                    )),
                "\(page.text)"
            )
            let ldBody = try await client.ld(
                .post,
                "/entityOperations/query",
                #"{"type": "Query", "entities": [{"type": "Room"}], "@context": "\#(LD.userContext)"}"#,
                contentType: "application/ld+json",
                accept: "application/ld+json"
            )
            #expect(ldBody.status == .ok, "\(ldBody.text)")
            let echoed = ldBody.json.arrayValue?.first?["@context"]
            #expect(echoed == .string(LD.userContext) || echoed == [.string(LD.userContext)], "\(ldBody.text)")

            for bad in [
                #"{"entities": [{"type": "Room"}]}"#, #"{"type": "Query", "entities": []}"#,
                #"{"type": "Query", "entities": [{"id": "urn:ngsi-ld:Room:1"}]}"#,
                #"{"type": "Query", "entities": [{"type": "Room"}], "q": 5}"#,
                #"{"type": "Query", "entities": [{"type": "Room"}], "attrs": []}"#,
                #"{"type": "Query", "entities": [{"type": "Room"}], "temporalQ": {}}"#,
            ] {
                let response = try await client.ld(.post, "/entityOperations/query", bad)
                expectProblem(response, .badRequest, "BadRequestData", bad)
            }
            let geo = try await client.ld(
                .post,
                "/entityOperations/query",
                #"{"type": "Query", "entities": [{"type": "Room"}], "geoQ": {"georel": "near"}}"#
            )
            expectProblem(geo, .unprocessableContent, "OperationNotSupported", "geoQ")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func typesListDetailsAndOneType(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let empty = try await client.ld(.get, "/types")
            #expect(empty.json["typeList"] == [], "\(empty.text)")
            try await Self.createRooms(client, count: 2)
            try await client.createEntity(
                #"{"id": "urn:ngsi-ld:Building:1", "type": "Building", "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Person:1"}}"#
            )
            let list = try await client.ld(.get, "/types")
            #expect(list.status == .ok)
            #expect(list.headers[.link] == LD.coreLink)
            #expect(list.json["type"] == "EntityTypeList")
            #expect(list.json["typeList"] == ["Building", "Room"], "\(list.text)")
            #expect(list.json["id"]?.stringValue?.hasPrefix("urn:ngsi-ld:EntityTypeList:") == true)

            let details = try await client.ld(.get, "/types?details=true")
            let expected = #"""
                [{"id": "\#(LD.vocabulary)Building", "type": "EntityType", "typeName": "Building", "attributeNames": ["owner"]},
                 {"id": "\#(LD.vocabulary)Room", "type": "EntityType", "typeName": "Room", "attributeNames": ["temperature"]}]
                """#
            #expect(details.json == (try json(expected)), "\(details.text)")

            let room = try await client.ld(.get, "/types/Room")
            let expectedRoom = #"""
                {"id": "\#(LD.vocabulary)Room", "type": "EntityTypeInfo", "typeName": "Room", "entityCount": 2,
                 "attributeDetails": [{"id": "\#(LD.vocabulary)temperature", "type": "Attribute",
                                       "attributeName": "temperature", "attributeTypes": ["Property"]}]}
                """#
            #expect(room.json == (try json(expectedRoom)), "\(room.text)")
            let building = try await client.ld(.get, "/types/Building/")
            #expect(building.json["entityCount"] == 1, "\(building.text)")
            #expect(building.json["attributeDetails"]?.arrayValue?.first?["attributeTypes"] == ["Relationship"])

            let unknown = try await client.ld(.get, "/types/Nothing")
            expectProblem(unknown, .notFound, "ResourceNotFound", detail: "Nothing", "unknown type")
            let unknownParameter = try await client.ld(.get, "/types/Room?details=true")
            expectProblem(unknownParameter, .badRequest, "InvalidRequest", "details on /types/{type}")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func typeNamesCompactWithTheRequestContext(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(
                #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": {"type": "Property", "value": 1}}"#,
                link: LD.userContext
            )
            let expanded = try await client.ld(.get, "/types")
            #expect(expanded.json["typeList"] == ["https://example.org/ctx#Car"], "\(expanded.text)")
            let compact = try await client.ld(.get, "/types", link: LD.userContext)
            #expect(compact.json["typeList"] == ["Car"], "\(compact.text)")
            #expect(compact.headers[.link] == LD.link(LD.userContext))
            let details = try await client.ld(.get, "/types?details=true", link: LD.userContext)
            #expect(
                details.json
                    == (try json(
                        #"[{"id": "https://example.org/ctx#Car", "type": "EntityType", "typeName": "Car", "attributeNames": ["speed"]}]"#
                    )),
                "\(details.text)"
            )
            let one = try await client.ld(.get, "/types/Car", link: LD.userContext)
            #expect(one.json["entityCount"] == 1, "\(one.text)")
            #expect(one.json["attributeDetails"]?.arrayValue?.first?["id"] == "https://example.org/ctx#speed")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func purgeDeletesTheMatchingEntities(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createRooms(client, count: 3)
            let purged = try await client.ld(.delete, "/entities?type=Room")
            #expect(purged.status == .noContent, "\(purged.text)")
            #expect(purged.body.readableBytes == 0)
            #expect(try await client.storedCount() == 0)
            let unknown = try await client.ld(.delete, "/entities?type=Room&limit=3")
            expectProblem(unknown, .badRequest, "InvalidRequest", detail: "limit", "limit on purge")
        }
    }
}
