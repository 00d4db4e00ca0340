import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// Queries that filter by `type`, `q`, `id`, `idPattern` and `scopeQ` (§5.3, §5.4), and purge by type.
///
@Suite struct NGSILDQueryFilterTests {
    static func createWorld(_ client: any TestClientProtocol) async throws {
        let body = #"""
            [{"id": "urn:ngsi-ld:Building:pisa", "type": "Building", "scope": "/Italy/Pisa",
              "name": {"type": "Property", "value": "Pisa Tower"}, "almostFull": {"type": "Property", "value": false},
              "airQualityLevel": {"type": "Property", "value": 6},
              "locatedIn": {"type": "Relationship", "object": "urn:ngsi-ld:City:Pisa"}},
             {"id": "urn:ngsi-ld:Building:eiffel", "type": "Building", "scope": "/France/Paris",
              "name": {"type": "Property", "value": "Eiffel Tower"}, "almostFull": {"type": "Property", "value": true},
              "airQualityLevel": {"type": "Property", "value": 4},
              "locatedIn": {"type": "Relationship", "object": "urn:ngsi-ld:City:Paris"}},
             {"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": {"type": "Property", "value": 20}},
             {"id": "urn:ngsi-ld:Room:2", "type": ["Room", "Office"], "temperature": {"type": "Property", "value": 25}}]
            """#
        let response = try await client.ld(.post, "/entityOperations/create", body)
        #expect(response.status == .created, "\(response.text)")
    }

    /// The ids a query finds (with `count=true`, checking the count agrees).
    static func ids(
        _ client: any TestClientProtocol,
        _ query: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        let response = try await client.ld(.get, "/entities?\(query)&count=true")
        #expect(response.status == .ok, "\(query): \(response.text)", sourceLocation: sourceLocation)
        #expect(
            response.headers[.ngsildResultsCount] == String(response.orderedIDs.count),
            "\(query): \(response.headers)",
            sourceLocation: sourceLocation
        )
        return response.orderedIDs
    }

    @Test(arguments: StoreBackend.allCases)
    func typeSelection(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createWorld(client)
            #expect(try await Self.ids(client, "type=Room") == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:2"])
            #expect(try await Self.ids(client, "type=Office") == ["urn:ngsi-ld:Room:2"])
            #expect(try await Self.ids(client, "type=(Room;Office)") == ["urn:ngsi-ld:Room:2"])
            #expect(try await Self.ids(client, "type=Building,Office").count == 3)
            #expect(try await Self.ids(client, "type=Nothing") == [])
            #expect(try await Self.ids(client, "type=\(LD.vocabulary)Room").count == 2)
            let count = try await client.ld(.get, "/entities?type=Building&limit=0&count=true")
            #expect(count.headers[.ngsildResultsCount] == "2")
            let posted = try await client.ld(
                .post,
                "/entityOperations/query?count=true",
                #"{"type": "Query", "entities": [{"type": "Building"}]}"#
            )
            #expect(posted.orderedIDs == ["urn:ngsi-ld:Building:eiffel", "urn:ngsi-ld:Building:pisa"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func qExpressions(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createWorld(client)
            let pisa = "urn:ngsi-ld:Building:pisa"
            let eiffel = "urn:ngsi-ld:Building:eiffel"
            let cases: [(String, [String])] = [
                (#"name=="Eiffel Tower""#, [eiffel]),
                (#"name=="Pisa Tower";almostFull==false"#, [pisa]),
                (#"name=="Pisa Tower"|almostFull==true"#, [eiffel, pisa]),
                (#"(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false"#, [pisa]),
                ("airQualityLevel==4", [eiffel]),
                ("airQualityLevel>=4;airQualityLevel<7", [eiffel, pisa]),
                ("airQualityLevel==5..9", [pisa]),
                ("airQualityLevel==1,3,6", [pisa]),
                ("locatedIn==urn:ngsi-ld:City:Pisa", [pisa]),
                (#"locatedIn=="urn:ngsi-ld:City:Paris""#, [eiffel]),
                ("name~=Eif", [eiffel]),
                ("almostFull", [eiffel, pisa]),
                ("temperature>21", ["urn:ngsi-ld:Room:2"]),
                ("nothing==1", []),
            ]
            for (q, expected) in cases {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                #expect(try await Self.ids(client, "q=\(encoded)") == expected, "q=\(q)")
            }
            let bad = try await client.ld(.get, "/entities?type=Building&q=name%3D%3D")
            expectProblem(bad, .badRequest, "BadRequestData", detail: "position", "a malformed q")
            let posted = try await client.ld(
                .post,
                "/entityOperations/query",
                #"{"type": "Query", "entities": [{"type": "Building"}], "q": "airQualityLevel==6"}"#
            )
            #expect(posted.orderedIDs == [pisa], "\(posted.text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func idsPatternsAndScopes(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createWorld(client)
            #expect(
                try await Self.ids(client, "type=Room,Building&id=urn:ngsi-ld:Room:1,urn:ngsi-ld:Building:pisa")
                    == ["urn:ngsi-ld:Building:pisa", "urn:ngsi-ld:Room:1"]
            )
            #expect(try await Self.ids(client, "type=Room&idPattern=%5Eurn:ngsi-ld:Room:2$") == ["urn:ngsi-ld:Room:2"])
            #expect(try await Self.ids(client, "type=Building&scopeQ=/Italy/%23") == ["urn:ngsi-ld:Building:pisa"])
            #expect(try await Self.ids(client, "type=Building&scopeQ=/France/Paris") == ["urn:ngsi-ld:Building:eiffel"])
            let badPattern = try await client.ld(.get, "/entities?type=Room&idPattern=a**")
            expectProblem(badPattern, .badRequest, "BadRequestData", "a** is outside the regex subset")
            // Paging keeps the selection.
            let page = try await client.ld(.get, "/entities?type=Building&limit=1&count=true")
            #expect(page.orderedIDs == ["urn:ngsi-ld:Building:eiffel"])
            #expect(page.headers[.ngsildResultsCount] == "2")
            #expect(page.headers[.link]?.contains(#"offset=1&type=Building>; rel="next""#) == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func purgeDeletesOnlyTheSelectedType(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await Self.createWorld(client)
            #expect(try await client.ld(.delete, "/entities?type=Room").status == .noContent)
            #expect(
                try await Self.ids(client, "local=true") == [
                    "urn:ngsi-ld:Building:eiffel", "urn:ngsi-ld:Building:pisa",
                ]
            )
            let describe = try await client.ld(.get, "/types/Building")
            #expect(describe.json["entityCount"] == 2)
        }
    }

    /// Attributes may have any name: `version`, `created` and `updated` are attributes here, not the
    /// entity's metadata (the aliases RQL has elsewhere), while `modifiedAt` is the entity's own time.
    @Test(arguments: StoreBackend.allCases)
    func metadataNamesAreAttributes(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let body = #"""
                [{"id": "urn:ngsi-ld:Doc:1", "type": "Doc", "version": {"type": "Property", "value": 7},
                  "created": {"type": "Property", "value": "yesterday"}},
                 {"id": "urn:ngsi-ld:Doc:2", "type": "Doc", "version": {"type": "Property", "value": 1}}]
                """#
            let created = try await client.ld(.post, "/entityOperations/create", body)
            #expect(created.status == .created)
            #expect(try await Self.ids(client, "type=Doc&q=version==7") == ["urn:ngsi-ld:Doc:1"])
            #expect(try await Self.ids(client, "type=Doc&q=version==1") == ["urn:ngsi-ld:Doc:2"])
            #expect(try await Self.ids(client, "type=Doc&q=created") == ["urn:ngsi-ld:Doc:1"])
            #expect(try await Self.ids(client, "type=Doc&q=modifiedAt>2000-01-01T00:00:00Z").count == 2)
        }
    }
}
