import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// The access matrix on the NGSI-LD routes (issue 12, item 7): rights as in REST, unreadable entities
/// absent from results, counts and `/types`, 404 (per item in batches); collection `write` access.
@Suite struct NGSILDAccessTests {
    static let coraRoom = "urn:ngsi-ld:Room:cora"
    static let ottoRoom = "urn:ngsi-ld:Room:otto"
    static let secret = "skcorasecretm"

    static func coraEntity(_ id: String = coraRoom) -> String {
        #"{"id": "\#(id)", "type": "Secret", "note": {"type": "Property", "value": "\#(secret)"}}"#
    }

    @Test(arguments: StoreBackend.allCases)
    func privateCollectionHidesOtherUsersEntities(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let cora = try await client.makeUser("cora")
            let otto = try await client.makeUser("otto")

            let anonymous = try await client.ld(.post, "/entities", Self.coraEntity(), authorization: nil)
            expectProblem(anonymous, .unauthorized, "urn:entityhub:error:unauthenticated", "anonymous create")
            #expect(anonymous.headers[.wwwAuthenticate] != nil)
            let anonymousBatch = try await client.ld(
                .post,
                "/entityOperations/create",
                "[\(Self.coraEntity())]",
                authorization: nil
            )
            #expect(anonymousBatch.status == .unauthorized, "\(anonymousBatch.text)")
            let badKey = try await client.ld(.get, "/types", authorization: "ApiKey SU-000:wrong")
            expectProblem(badKey, .unauthorized, "urn:entityhub:error:unauthenticated", "a wrong key")

            try await client.createEntity(Self.coraEntity(), authorization: cora)
            try await client.createEntity(entity(Self.ottoRoom, type: "Room"), authorization: otto)

            // Otto sees only his own entity: in results, counts, /types.
            let list = try await client.ld(.get, "/entities?local=true&count=true", authorization: otto)
            #expect(list.orderedIDs == [Self.ottoRoom], "\(list.text)")
            #expect(list.headers[.ngsildResultsCount] == "1")
            #expect(!list.text.contains(Self.secret))
            let attrs = try await client.ld(.get, "/entities?attrs=note&count=true", authorization: otto)
            #expect(attrs.json == [] && attrs.headers[.ngsildResultsCount] == "0", "\(attrs.text)")
            let posted = try await client.ld(
                .post,
                "/entityOperations/query?count=true",
                #"{"type": "Query", "entities": [{"type": "Secret"}]}"#,
                authorization: otto
            )
            #expect(!posted.orderedIDs.contains(Self.coraRoom) && posted.headers[.ngsildResultsCount] != nil)
            let types = try await client.ld(.get, "/types", authorization: otto)
            #expect(types.json["typeList"] == ["Room"], "\(types.text)")
            let details = try await client.ld(.get, "/types?details=true", authorization: otto)
            #expect(!details.text.contains("Secret") && !details.text.contains("note"), "\(details.text)")
            let secretType = try await client.ld(.get, "/types/Secret", authorization: otto)
            expectProblem(secretType, .notFound, "ResourceNotFound", "another user's type")
            #expect(try await client.ld(.get, "/types/Secret", authorization: cora).json["entityCount"] == 1)

            // 404 on every single-entity route, per item in batches; nothing changes.
            let path = "/entities/\(Self.coraRoom)"
            for (method, route, body) in [
                (HTTPRequest.Method.get, path, nil), (.delete, path, nil), (.put, path, #"{"type": "Secret"}"#),
                (.patch, path, #"{"note": "x"}"#), (.post, "\(path)/attrs", #"{"note": "x"}"#),
                (.patch, "\(path)/attrs", #"{"note": "x"}"#), (.patch, "\(path)/attrs/note", #"{"value": "x"}"#),
                (.put, "\(path)/attrs/note", #"{"value": "x"}"#), (.delete, "\(path)/attrs/note", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let response = try await client.ld(method, route, body, authorization: otto)
                expectProblem(response, .notFound, "ResourceNotFound", "otto \(method) \(route)")
                #expect(!response.text.contains(Self.secret))
            }
            let fragment = #"[{"id": "\#(Self.coraRoom)", "note": "x"}]"#
            for operation in ["update", "merge"] {
                let response = try await client.ld(
                    .post,
                    "/entityOperations/\(operation)",
                    fragment,
                    authorization: otto
                )
                NGSILDBatchTests.expectResult(
                    response,
                    success: [],
                    errors: [(Self.coraRoom, "ResourceNotFound")],
                    "otto batch \(operation)"
                )
            }
            let batchDelete = try await client.ld(
                .post,
                "/entityOperations/delete",
                #"["\#(Self.coraRoom)", "\#(Self.ottoRoom)"]"#,
                authorization: otto
            )
            NGSILDBatchTests.expectResult(
                batchDelete,
                success: [Self.ottoRoom],
                errors: [(Self.coraRoom, "ResourceNotFound")],
                "otto batch delete"
            )
            // Creating over an id another user holds must not overwrite it.
            let create = try await client.ld(
                .post,
                "/entities",
                Self.coraEntity().replacingOccurrences(of: Self.secret, with: "mine"),
                authorization: otto
            )
            #expect(create.status.code >= 400, "create over an unreadable entity: \(create.text)")
            let upsert = try await client.ld(
                .post,
                "/entityOperations/upsert",
                "[\(Self.coraEntity().replacingOccurrences(of: Self.secret, with: "mine"))]",
                authorization: otto
            )
            #expect(upsert.status == .multiStatus, "upsert over an unreadable entity: \(upsert.text)")
            // Purge by otto leaves cora's entity.
            #expect(try await client.ld(.delete, "/entities?local=true", authorization: otto).status == .noContent)

            let unchanged = try await client.ld(.get, "\(path)?options=keyValues", authorization: cora)
            #expect(unchanged.json["note"]?.stringValue == Self.secret, "\(unchanged.text)")
            #expect(try await client.storedCount(authorization: cora) == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aReadGrantAllowsReadsButNotWrites(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let cora = try await client.makeUser("cora")
            let rhea = try await client.makeUser("rhea")
            try await client.createEntity(Self.coraEntity(), authorization: cora)
            let grant = try await client.share(
                "/api/v1/ngsild/urn%3Angsi-ld%3ARoom%3Acora",
                with: "rhea",
                "r",
                authorization: cora
            )
            #expect(grant.status == .ok, "\(grant.text)")

            let path = "/entities/\(Self.coraRoom)"
            let read = try await client.ld(.get, "\(path)?options=keyValues", authorization: rhea)
            #expect(read.json["note"]?.stringValue == Self.secret, "\(read.text)")
            #expect(try await client.storedCount(authorization: rhea) == 1)
            #expect(try await client.ld(.get, "/types", authorization: rhea).json["typeList"] == ["Secret"])

            for (method, route, body) in [
                (HTTPRequest.Method.delete, path, nil), (.put, path, #"{"type": "Secret"}"#),
                (.patch, path, #"{"note": "x"}"#), (.post, "\(path)/attrs", #"{"note": "x"}"#),
                (.patch, "\(path)/attrs", #"{"note": "x"}"#), (.patch, "\(path)/attrs/note", #"{"value": "x"}"#),
                (.put, "\(path)/attrs/note", #"{"value": "x"}"#), (.delete, "\(path)/attrs/note", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let response = try await client.ld(method, route, body, authorization: rhea)
                expectProblem(response, .forbidden, "urn:entityhub:error:forbidden", "rhea \(method) \(route)")
            }
            let fragment = #"[{"id": "\#(Self.coraRoom)", "note": "x"}]"#
            for operation in ["update", "merge", "upsert"] {
                let body = operation == "upsert" ? "[\(Self.coraEntity())]" : fragment
                let response = try await client.ld(.post, "/entityOperations/\(operation)", body, authorization: rhea)
                NGSILDBatchTests.expectResult(
                    response,
                    success: [],
                    errors: [(Self.coraRoom, "urn:entityhub:error:forbidden")],
                    "rhea batch \(operation)"
                )
            }
            let delete = try await client.ld(
                .post,
                "/entityOperations/delete",
                #"["\#(Self.coraRoom)"]"#,
                authorization: rhea
            )
            NGSILDBatchTests.expectResult(
                delete,
                success: [],
                errors: [(Self.coraRoom, "urn:entityhub:error:forbidden")],
                "rhea batch delete"
            )
            let rest = try await client.send(.get, "/api/v1/ngsild/urn%3Angsi-ld%3ARoom%3Acora", authorization: cora)
            #expect(rest.json["_meta"]?["version"] == 1, "nothing was written: \(rest.text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anOpenBrokerLetsEveryoneWrite(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend, schema: openBrokerSchema) { client in
            let cora = try await client.makeUser("cora")
            let otto = try await client.makeUser("otto")
            let created = try await client.ld(.post, "/entities", Self.coraEntity(), authorization: nil)
            #expect(created.status == .created, "anyone creates: \(created.text)")
            try await client.createEntity(Self.coraEntity("urn:ngsi-ld:Room:c2"), authorization: cora)

            #expect(try await client.storedCount(authorization: nil) == 2)
            let update = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Room:c2/attrs",
                #"{"note": "by otto"}"#,
                authorization: otto
            )
            #expect(update.status == .noContent, "\(update.text)")
            let anonymousUpdate = try await client.ld(
                .post,
                "/entityOperations/update",
                #"[{"id": "urn:ngsi-ld:Room:c2", "size": 3}]"#,
                authorization: nil
            )
            #expect(anonymousUpdate.status == .noContent, "\(anonymousUpdate.text)")
            let read = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:c2?options=keyValues", authorization: cora)
            #expect(read.json["note"] == "by otto" && read.json["size"] == 3, "\(read.text)")
            let deleted = try await client.ld(.delete, "/entities/urn:ngsi-ld:Room:c2", authorization: nil)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            let batchDelete = try await client.ld(
                .post,
                "/entityOperations/delete",
                #"["\#(Self.coraRoom)"]"#,
                authorization: otto
            )
            #expect(batchDelete.status == .noContent, "\(batchDelete.text)")
            #expect(try await client.storedCount(authorization: cora) == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func authenticatedWriteLetsSignedInUsersWrite(_ backend: StoreBackend) async throws {
        let schema = #"""
            {"collections": {"ngsild": {"access": {"read": "authenticated-read", "create": "authenticated", "write": "authenticated"}}}}
            """#
        try await withNGSILDServer(backend, schema: schema) { client in
            let cora = try await client.makeUser("cora")
            let otto = try await client.makeUser("otto")
            try await client.createEntity(Self.coraEntity(), authorization: cora)
            let anonymous = try await client.ld(.post, "/entities", entity("urn:ngsi-ld:Room:x"), authorization: nil)
            expectProblem(anonymous, .unauthorized, "urn:entityhub:error:unauthenticated", "anonymous create")
            let hidden = try await client.ld(.get, "/entities/\(Self.coraRoom)", authorization: nil)
            expectProblem(hidden, .notFound, "ResourceNotFound", "anonymous read")
            let update = try await client.ld(
                .post,
                "/entities/\(Self.coraRoom)/attrs",
                #"{"size": 1}"#,
                authorization: otto
            )
            #expect(update.status == .noContent, "\(update.text)")
            let deleted = try await client.ld(.delete, "/entities/\(Self.coraRoom)", authorization: otto)
            #expect(deleted.status == .noContent, "\(deleted.text)")
        }
    }
}
