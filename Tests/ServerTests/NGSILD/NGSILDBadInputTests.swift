import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// Bad input (issue 12, Tests): each a clear ProblemDetails, the server still serving afterwards, and
/// nothing stored beyond what a 207 lists as success.
@Suite struct NGSILDBadInputTests {
    /// The server still creates and reads after a bad request, and holds exactly `expected` entities.
    static func expectServing(
        _ client: any TestClientProtocol,
        holding expected: Int,
        _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await client.storedCount() == expected, "\(context)", sourceLocation: sourceLocation)
        let probe = "urn:ngsi-ld:Probe:\(randomWord())"
        let created = try await client.ld(.post, "/entities", entity(probe, type: "Probe"))
        #expect(created.status == .created, "\(context): \(created.text)", sourceLocation: sourceLocation)
        let deleted = try await client.ld(.delete, "/entities/\(probe)")
        #expect(deleted.status == .noContent, "\(context)", sourceLocation: sourceLocation)
    }

    @Test(arguments: StoreBackend.allCases)
    func malformedBodiesOfSingleEntityRoutes(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let cases: [(String, String, String)] = [
                (#"{"id": "urn:ngsi-ld:Room:1", "type": "Room""#, "InvalidRequest", "truncated JSON"),
                ("not json", "InvalidRequest", "not JSON"),
                ("", "InvalidRequest", "an empty body"),
                ("[]", "InvalidRequest", "an array"),
                (#""a string""#, "InvalidRequest", "a string"),
                (#"{"id": "urn:ngsi-ld:Room:1", "type": "Room"} trailing"#, "InvalidRequest", "trailing content"),
                (#"{"type": "Room"}"#, "BadRequestData", "no id"),
                (#"{"id": "urn:ngsi-ld:Room:1"}"#, "BadRequestData", "no type"),
                (#"{"id": "not a uri", "type": "Room"}"#, "BadRequestData", "id not a URI"),
                (#"{"id": 5, "type": "Room"}"#, "BadRequestData", "a numeric id"),
                (#"{"id": "urn:ngsi-ld:Room:1", "type": "type"}"#, "BadRequestData", "type expanding to a keyword"),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "bad name": {"type": "Property", "value": 1}}"#,
                    "BadRequestData", "an attribute name with a space"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "observedAt": {"type": "Property", "value": 1}}"#,
                    "BadRequestData", "a core member as attribute name"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": null}}"#,
                    "BadRequestData", "value null"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": "urn:ngsi-ld:null"}}"#,
                    "BadRequestData", "NGSI-LD Null in a create"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": 1, "object": "urn:a"}}"#,
                    "BadRequestData", "object in a Property"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": 1, "observedAt": "2024-01-01T00:00:00+01:00"}}"#,
                    "BadRequestData", "a DateTime with an offset"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": [{"type": "Property", "value": 1}, {"type": "Property", "value": 2}]}"#,
                    "BadRequestData", "two default instances"
                ),
                (
                    #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": 1, "@context": {}}}"#,
                    "BadRequestData", "@context inside an attribute"
                ),
            ]
            for (body, type, context) in cases {
                let response = try await client.ld(.post, "/entities", body)
                expectProblem(response, .badRequest, type, context)
            }
            let named = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "bad name": {"type": "Property", "value": 1}}"#
            )
            #expect(named.json["detail"]?.stringValue?.contains("bad name") == true, "names the member: \(named.text)")
            let null = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "temp": {"type": "Property", "value": null}}"#
            )
            #expect(null.json["detail"]?.stringValue?.contains("temp") == true, "names the member: \(null.text)")
            try await Self.expectServing(client, holding: 0, "after bad creates")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func malformedBatches(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let cases: [(String, String, String)] = [
                ("[{", "InvalidRequest", "truncated JSON"),
                ("not json", "InvalidRequest", "not JSON"),
                (entity("urn:ngsi-ld:Room:1"), "InvalidRequest", "an object, not an array"),
                (#""urn:ngsi-ld:Room:1""#, "InvalidRequest", "a string"),
                ("[] []", "InvalidRequest", "two arrays"),
                ("[1,]", "InvalidRequest", "a trailing comma"),
                ("[]", "BadRequestData", "an empty array"),
                ("[null]", "BadRequestData", "a null item"),
                ("[\(entity("urn:ngsi-ld:Room:1")), null]", "BadRequestData", "a null item after an entity"),
                (#"[{"id": 5, "type": "Room"}]"#, "BadRequestData", "a numeric id"),
                (#"[{"type": "Room"}]"#, "BadRequestData", "no id"),
                ("[5]", "BadRequestData", "a number item"),
            ]
            for operation in ["create", "upsert", "update", "merge", "delete"] {
                for (body, type, context) in cases {
                    let response = try await client.ld(.post, "/entityOperations/\(operation)", body)
                    expectProblem(response, .badRequest, type, "\(operation): \(context)")
                }
            }
            let numeric = try await client.ld(
                .post,
                "/entityOperations/create",
                "[\(entity("urn:ngsi-ld:Room:1")), {\"id\": 5, \"type\": \"Room\"}]"
            )
            expectProblem(numeric, .badRequest, "BadRequestData", detail: "item 1", "names the index")
            try await Self.expectServing(client, holding: 0, "after bad batches")

            // A string id that is not an IRI: a 207 entry with that id; the valid entity is written.
            let mixed = try await client.ld(
                .post,
                "/entityOperations/create",
                "[\(entity("urn:ngsi-ld:Room:1")), \(entity("not an iri")), \(entity("urn:ngsi-ld:Room:2 "))]"
            )
            NGSILDBatchTests.expectResult(
                mixed,
                success: ["urn:ngsi-ld:Room:1"],
                errors: [("not an iri", "BadRequestData"), ("urn:ngsi-ld:Room:2 ", "BadRequestData")],
                "bad ids"
            )
            let invalid = try await client.ld(
                .post,
                "/entityOperations/upsert",
                "[\(entity("urn:ngsi-ld:Room:3")), "
                    + #"{"id": "urn:ngsi-ld:Room:4", "type": "Room", "bad name": 1}, "#
                    + #"{"id": "urn:ngsi-ld:Room:5", "type": "Room", "t": {"type": "Property", "value": null}}]"#
            )
            NGSILDBatchTests.expectResult(
                invalid,
                success: ["urn:ngsi-ld:Room:3"],
                errors: [("urn:ngsi-ld:Room:4", "BadRequestData"), ("urn:ngsi-ld:Room:5", "BadRequestData")],
                "invalid entities"
            )
            let stored = try await client.ld(.get, "/entities?local=true")
            #expect(stored.orderedIDs == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:3"], "\(stored.text)")
            try await Self.expectServing(client, holding: 2, "after 207s")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deepNestingIsRefused(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let single = #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": \#(deep)}}"#
            let create = try await client.ld(.post, "/entities", single)
            expectProblem(create, .badRequest, "InvalidRequest", "10,000-deep nesting in a create")
            let batch = try await client.ld(.post, "/entityOperations/upsert", "[\(single)]")
            expectProblem(batch, .badRequest, "InvalidRequest", "10,000-deep nesting in a batch")
            let attribute = try await client.ld(.post, "/entities/urn:ngsi-ld:Room:1/attrs", #"{"t": \#(deep)}"#)
            expectProblem(attribute, .badRequest, "InvalidRequest", "10,000-deep nesting in an append")
            let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
            let query = try await client.ld(.post, "/entityOperations/query", objects)
            expectProblem(query, .badRequest, "InvalidRequest", "10,000-deep objects in a query")
            try await Self.expectServing(client, holding: 0, "after deep nesting")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func oversizedBodiesAndBatchesAre413(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend, maximumBatchSize: 3, maximumBodySize: 8 * 1024) { client in
            let padding = String(repeating: "x", count: 10 * 1024)
            let big =
                #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "note": {"type": "Property", "value": "\#(padding)"}}"#
            let create = try await client.ld(.post, "/entities", big)
            expectProblem(create, .contentTooLarge, "urn:entityhub:error:content-too-large", "an oversized create")
            let batch = try await client.ld(.post, "/entityOperations/create", "[\(big)]")
            expectProblem(batch, .contentTooLarge, "urn:entityhub:error:content-too-large", "an oversized batch")

            let four = (1...4).map { entity("urn:ngsi-ld:Room:\($0)") }.joined(separator: ",")
            for operation in ["create", "upsert"] {
                let tooMany = try await client.ld(.post, "/entityOperations/\(operation)", "[\(four)]")
                expectProblem(
                    tooMany,
                    .contentTooLarge,
                    "urn:entityhub:error:content-too-large",
                    "four entities, at most three"
                )
            }
            let ids = (1...4).map { #""urn:ngsi-ld:Room:\#($0)""# }.joined(separator: ",")
            let tooManyIDs = try await client.ld(.post, "/entityOperations/delete", "[\(ids)]")
            expectProblem(tooManyIDs, .contentTooLarge, "urn:entityhub:error:content-too-large", "four ids")
            try await Self.expectServing(client, holding: 0, "after 413s")

            let three = (1...3).map { entity("urn:ngsi-ld:Room:\($0)") }.joined(separator: ",")
            #expect(try await client.ld(.post, "/entityOperations/create", "[\(three)]").status == .created)
        }
    }
}
