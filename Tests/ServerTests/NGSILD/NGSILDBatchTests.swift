import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// The five batch operations with exactly the 201/204/207 matrix of §6, duplicates per 5.5.11.
@Suite struct NGSILDBatchTests {
    static let a = "urn:ngsi-ld:Room:a"
    static let b = "urn:ngsi-ld:Room:b"
    static let c = "urn:ngsi-ld:Room:c"

    /// Checks a 207 BatchOperationResult: `application/json`, no Link, `success` as a set and the errors.
    static func expectResult(
        _ response: TestResponse,
        success: Set<String>,
        errors expected: [(String, String)],
        _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .multiStatus, "\(context): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", "\(context)", sourceLocation: sourceLocation)
        #expect(response.headers[.link] == nil, "\(context)", sourceLocation: sourceLocation)
        let ids = response.json["success"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ids.count == Set(ids).count, "\(context): ids listed twice", sourceLocation: sourceLocation)
        #expect(Set(ids) == success, "\(context): \(response.text)", sourceLocation: sourceLocation)
        let errors = response.json["errors"]?.arrayValue ?? []
        #expect(errors.count == expected.count, "\(context): \(response.text)", sourceLocation: sourceLocation)
        // The order inside `errors` is free: each expected error matches one entry.
        var remaining = errors
        for (id, type) in expected {
            let uri = type.contains(":") ? type : LD.errors + type
            guard
                let index = remaining.firstIndex(where: {
                    $0["entityId"]?.stringValue == id && $0["error"]?["type"]?.stringValue == uri
                })
            else {
                Issue.record(
                    "\(context): no \(type) error for \(id) in \(response.text)",
                    sourceLocation: sourceLocation
                )
                continue
            }
            expectBatchError(remaining.remove(at: index), id, type, sourceLocation: sourceLocation)
        }
    }

    static func body(_ entities: [String]) -> String { "[" + entities.joined(separator: ",") + "]" }

    @Test(arguments: StoreBackend.allCases)
    func createIs201WithIdsOr207(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let created = try await client.ld(
                .post,
                "/entityOperations/create",
                Self.body([entity(Self.a), entity(Self.b)])
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.contentType] == "application/json")
            #expect(created.headers[.link] == nil)
            #expect(Set(created.json.arrayValue ?? []) == [.string(Self.a), .string(Self.b)], "\(created.text)")
            #expect(created.json.arrayValue?.count == 2)

            // a exists; c twice: the first creates, the second is AlreadyExists (5.5.11).
            let mixed = try await client.ld(
                .post,
                "/entityOperations/create",
                Self.body([entity(Self.a), entity(Self.c, temperature: 1), entity(Self.c, temperature: 2)])
            )
            Self.expectResult(
                mixed,
                success: [Self.c],
                errors: [(Self.a, "AlreadyExists"), (Self.c, "AlreadyExists")],
                "create with an existing and a duplicate id"
            )
            #expect(mixed.json["errors"]?.arrayValue?.first?["error"]?["status"] == 409)
            let c = try await client.ld(.get, "/entities/\(Self.c)?options=keyValues")
            #expect(c.json["temperature"] == 1, "the first of the duplicates is created: \(c.text)")

            let allFail = try await client.ld(.post, "/entityOperations/create", Self.body([entity(Self.a)]))
            Self.expectResult(allFail, success: [], errors: [(Self.a, "AlreadyExists")], "207 even if none succeeded")
            #expect(try await client.storedCount() == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func upsertIs201ListingOnlyNewOr204(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(
                #"{"id": "\#(Self.a)", "type": "Room", "temperature": {"type": "Property", "value": 1}, "name": {"type": "Property", "value": "A"}}"#
            )
            let mixed = try await client.ld(
                .post,
                "/entityOperations/upsert",
                Self.body([entity(Self.a, temperature: 5), entity(Self.b), entity(Self.b, temperature: 7)])
            )
            #expect(mixed.status == .created, "\(mixed.text)")
            #expect(mixed.json == [.string(Self.b)], "only the new id, once: \(mixed.text)")
            // replace (the default): name is gone; the duplicate b replaced the first b.
            let a = try await client.ld(.get, "/entities/\(Self.a)?options=keyValues")
            #expect(a.json == (try json(#"{"id": "\#(Self.a)", "type": "Room", "temperature": 5}"#)), "\(a.text)")
            #expect(try await client.ld(.get, "/entities/\(Self.b)?options=keyValues").json["temperature"] == 7)

            let existing = try await client.ld(
                .post,
                "/entityOperations/upsert?options=replace",
                Self.body([entity(Self.a, temperature: 6), entity(Self.b, temperature: 8)])
            )
            #expect(existing.status == .noContent, "\(existing.text)")
            #expect(existing.body.readableBytes == 0)

            let update = try await client.ld(
                .post,
                "/entityOperations/upsert?options=update",
                Self.body([#"{"id": "\#(Self.a)", "type": "Room", "name": {"type": "Property", "value": "A2"}}"#])
            )
            #expect(update.status == .noContent, "\(update.text)")
            let merged = try await client.ld(.get, "/entities/\(Self.a)?options=keyValues")
            #expect(
                merged.json == (try json(#"{"id": "\#(Self.a)", "type": "Room", "temperature": 6, "name": "A2"}"#)),
                "update keeps what the fragment lacks: \(merged.text)"
            )

            let both = try await client.ld(
                .post,
                "/entityOperations/upsert?options=replace,update",
                Self.body([entity(Self.a)])
            )
            expectProblem(both, .badRequest, "BadRequestData", "replace and update together")
            let other = try await client.ld(
                .post,
                "/entityOperations/upsert?options=noOverwrite",
                Self.body([entity(Self.a)])
            )
            expectProblem(other, .badRequest, "BadRequestData", "noOverwrite on upsert")

            let invalid = try await client.ld(
                .post,
                "/entityOperations/upsert",
                Self.body([
                    entity(Self.c),
                    #"{"id": "urn:ngsi-ld:Room:d", "type": "Room", "t": {"type": "Property", "value": null}}"#,
                ])
            )
            Self.expectResult(
                invalid,
                success: [Self.c],
                errors: [("urn:ngsi-ld:Room:d", "BadRequestData")],
                "an invalid entity"
            )
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Room:d").status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func updateIs204Or207WithNoOverwriteAndMissingEntities(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(entity(Self.a, temperature: 1))
            try await client.createEntity(entity(Self.b, temperature: 2))
            let updated = try await client.ld(
                .post,
                "/entityOperations/update",
                Self.body([entity(Self.a, temperature: 10), entity(Self.b, temperature: 20)])
            )
            #expect(updated.status == .noContent, "\(updated.text)")
            #expect(try await client.ld(.get, "/entities/\(Self.a)?options=keyValues").json["temperature"] == 10)

            let missing = try await client.ld(
                .post,
                "/entityOperations/update",
                Self.body([entity(Self.a, temperature: 11), entity(Self.c)])
            )
            Self.expectResult(missing, success: [Self.a], errors: [(Self.c, "ResourceNotFound")], "a missing entity")
            #expect(try await client.ld(.get, "/entities/\(Self.c)").status == .notFound)

            let newOnly = try await client.ld(
                .post,
                "/entityOperations/update?options=noOverwrite",
                Self.body([#"{"id": "\#(Self.a)", "humidity": {"type": "Property", "value": 40}}"#])
            )
            #expect(newOnly.status == .noContent, "only new attributes: \(newOnly.text)")

            let existingOnly = try await client.ld(
                .post,
                "/entityOperations/update?options=noOverwrite",
                Self.body([entity(Self.a, temperature: 99)])
            )
            Self.expectResult(
                existingOnly,
                success: [],
                errors: [(Self.a, "BadRequestData")],
                "only existing attributes"
            )

            let mixed = try await client.ld(
                .post,
                "/entityOperations/update?options=noOverwrite",
                Self.body([
                    #"{"id": "\#(Self.b)", "temperature": {"type": "Property", "value": 99}, "pressure": {"type": "Property", "value": 1}}"#
                ])
            )
            Self.expectResult(mixed, success: [], errors: [(Self.b, "BadRequestData")], "new and existing attributes")
            let b = try await client.ld(.get, "/entities/\(Self.b)?options=keyValues")
            #expect(b.json["temperature"] == 20 && b.json["pressure"] == 1, "noOverwrite keeps, appends: \(b.text)")
            #expect(try await client.ld(.get, "/entities/\(Self.a)?options=keyValues").json["temperature"] == 11)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deleteIs204Or207WithResourceNotFound(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(entity(Self.a))
            try await client.createEntity(entity(Self.b))
            let deleted = try await client.ld(
                .post,
                "/entityOperations/delete",
                #"["\#(Self.a)"]"#,
                contentType: "application/ld+json"
            )
            #expect(deleted.status == .noContent, "ld+json without @context is fine here: \(deleted.text)")
            let missing = try await client.ld(.post, "/entityOperations/delete", #"["\#(Self.a)"]"#)
            Self.expectResult(missing, success: [], errors: [(Self.a, "ResourceNotFound")], "a missing entity")
            let duplicate = try await client.ld(.post, "/entityOperations/delete", #"["\#(Self.b)", "\#(Self.b)"]"#)
            Self.expectResult(duplicate, success: [Self.b], errors: [(Self.b, "ResourceNotFound")], "a duplicate id")
            let notURI = try await client.ld(.post, "/entityOperations/delete", #"["not a uri"]"#)
            Self.expectResult(notURI, success: [], errors: [("not a uri", "BadRequestData")], "not a URI")
            let notString = try await client.ld(.post, "/entityOperations/delete", #"[5]"#)
            expectProblem(notString, .badRequest, "BadRequestData", detail: "item 0", "a number")
            #expect(try await client.storedCount() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func mergeIs204Or207(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(
                #"{"id": "\#(Self.a)", "type": "Room", "temperature": {"type": "Property", "value": 1, "unitCode": "CEL"}, "name": {"type": "Property", "value": "A"}}"#
            )
            let merged = try await client.ld(
                .post,
                "/entityOperations/merge",
                Self.body([
                    #"{"id": "\#(Self.a)", "temperature": {"type": "Property", "value": 2}, "name": "urn:ngsi-ld:null"}"#
                ])
            )
            #expect(merged.status == .noContent, "\(merged.text)")
            let a = try await client.ld(.get, "/entities/\(Self.a)")
            #expect(a.json["temperature"]?["value"] == 2 && a.json["temperature"]?["unitCode"] == "CEL", "\(a.text)")
            #expect(a.json["name"] == nil)
            let missing = try await client.ld(
                .post,
                "/entityOperations/merge",
                Self.body([#"{"id": "\#(Self.a)", "size": 3}"#, #"{"id": "\#(Self.b)", "size": 3}"#])
            )
            Self.expectResult(missing, success: [Self.a], errors: [(Self.b, "ResourceNotFound")], "a missing entity")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func batchContextsArePerEntity(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let body = Self.body([
                #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": 1, "@context": "\#(LD.userContext)"}"#,
                #"{"id": "urn:ngsi-ld:Car:2", "type": "Car", "speed": 2}"#,
                #"{"id": "urn:ngsi-ld:Car:3", "type": "Car", "speed": 3, "@context": "\#(LD.unreachableContext)"}"#,
            ])
            let response = try await client.ld(
                .post,
                "/entityOperations/create",
                body,
                contentType: "application/ld+json"
            )
            Self.expectResult(
                response,
                success: ["urn:ngsi-ld:Car:1"],
                errors: [("urn:ngsi-ld:Car:2", "BadRequestData"), ("urn:ngsi-ld:Car:3", "LdContextNotAvailable")],
                "ld+json: each entity with its own @context"
            )
            let car = try await client.ld(.get, "/entities/urn:ngsi-ld:Car:1?options=keyValues")
            #expect(car.json["https://example.org/ctx#speed"] == 1, "\(car.text)")

            let json = try await client.ld(
                .post,
                "/entityOperations/create",
                Self.body([
                    #"{"id": "urn:ngsi-ld:Car:4", "type": "Car", "speed": 4}"#,
                    #"{"id": "urn:ngsi-ld:Car:5", "type": "Car", "speed": 5, "@context": "\#(LD.userContext)"}"#,
                ]),
                link: LD.userContext
            )
            Self.expectResult(
                json,
                success: ["urn:ngsi-ld:Car:4"],
                errors: [("urn:ngsi-ld:Car:5", "BadRequestData")],
                "json: the Link context, @context in an entity is its error"
            )
            let linked = try await client.ld(
                .post,
                "/entityOperations/upsert",
                Self.body([#"{"id": "urn:ngsi-ld:Car:6", "type": "Car", "@context": "\#(LD.userContext)"}"#]),
                contentType: "application/ld+json",
                link: LD.userContext
            )
            expectProblem(linked, .badRequest, "BadRequestData", "ld+json with a Link header")
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Car:6").status == .notFound)
        }
    }
}
