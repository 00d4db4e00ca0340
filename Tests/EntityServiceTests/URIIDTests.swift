import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

/// Collections with `"ids": "uri"`: client ids are absolute IRIs of up to 1,024 bytes.
@Suite struct URIIDTests {
    @Test(arguments: StoreBackend.allCases) func generatedIDsAreUUIDURNs(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            let entity = try await service.create(["name": "A"], in: rooms, as: caller)
            #expect(
                entity.id.wholeMatch(of: /urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil
            )
            #expect(try await service.get(entity.id, in: rooms, as: caller) == entity)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theLongestIDRoundTripsThroughEveryOperation(_ backend: StoreBackend)
        async throws
    {
        try await withURIService(backend) { service in
            let id = "urn:ngsi-ld:Room:" + String(repeating: "é", count: 250) + String(repeating: "x", count: 507)
            #expect(id.utf8.count == 1024)
            let created = try await service.create(["id": .string(id), "name": "A"], in: rooms, as: caller)
            #expect(created.id == id)
            #expect(try await service.get(id, in: rooms, as: caller).id == id)
            #expect(try await service.get([id], in: rooms, as: caller)[id]?.id == id)
            let filter = Filter.compare(FieldPath(["id"]), .eq, .json(.string(id)))
            #expect(try await service.list(Query(filter: filter), in: rooms, as: caller).entities.map(\.id) == [id])
            _ = try await service.replace(id, with: ["name": "B"], in: rooms, as: caller)
            try await service.delete(id, in: rooms, as: caller)
            #expect(try await service.get([id], in: rooms, as: caller).isEmpty == true)

            let tooLong = id + "x"
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["id": .string(tooLong), "name": "A"], in: rooms, as: caller)
            }
            #expect(error?.code == .validationFailed)
            #expect(error?.messages == ["id: expected at most 1024 bytes (UTF-8) in an IRI, found 1025"])
        }
    }

    static let badIDs: [(JSON, String)] = [
        ("Room1", "id: expected an absolute IRI (scheme:rest, e.g. urn:ngsi-ld:Room:1), found 'Room1'"),
        ("1urn:x", "id: expected an absolute IRI (scheme:rest, e.g. urn:ngsi-ld:Room:1), found '1urn:x'"),
        ("urn:", "id: expected an absolute IRI (scheme:rest, e.g. urn:ngsi-ld:Room:1), found 'urn:'"),
        (
            "urn:a b",
            "id: an IRI may not contain whitespace, control or invisible characters; found U+0020 at character 6"
        ),
        (
            "urn:a\u{1}",
            "id: an IRI may not contain whitespace, control or invisible characters; found U+0001 at character 6"
        ),
        (
            "urn:a\u{200B}",
            "id: an IRI may not contain whitespace, control or invisible characters; found U+200B at character 6"
        ),
        (
            "\u{FEFF}urn:a",
            "id: an IRI may not contain whitespace, control or invisible characters; found U+FEFF at character 1"
        ),
        (
            "urn:a\u{A0}b",
            "id: an IRI may not contain whitespace, control or invisible characters; found U+00A0 at character 6"
        ),
        (42, "id: expected an absolute IRI as a string, found integer"),
    ]

    @Test(arguments: badIDs)
    func badIDsAreRefusedNamingTheProblem(id: JSON, message: String) async throws {
        try await withURIService(.sqlite) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["id": id, "name": "A"], in: rooms, as: caller)
            }
            #expect(error?.code == .validationFailed)
            #expect(error?.messages == [message])
            let page = try await service.list(Query(), in: rooms, as: caller)
            #expect(page.total == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func urlSafeCollectionsStillRefuseIRIs(_ backend: StoreBackend)
        async throws
    {
        try await withURIService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["id": "urn:x:1"], in: team, as: caller)
            }
            #expect(error?.code == .validationFailed)
        }
    }
}
