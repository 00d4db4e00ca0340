import EntityModel
import EntityService
import TestStores
import Testing

/// ``EntityService/replace(_:with:expectedVersion:in:as:idempotencyKey:)`` and
/// ``EntityService/get(_:in:as:)`` with several ids.
@Suite struct ReplaceAndMultiGetTests {
    @Test(arguments: StoreBackend.allCases) func replaceSwapsAllValuesKeepingIdentityAndCreation(
        _ backend: StoreBackend
    ) async throws {
        try await withURIService(backend) { service in
            let created = try await service.create(
                ["id": "urn:r:1", "name": "A", "floor": 2, "tags": ["x"]],
                in: rooms,
                as: caller
            )
            let replaced = try await service.replace(
                "urn:r:1",
                with: ["id": "urn:r:1", "name": "B", "_meta": ["version": 99]],
                expectedVersion: 1,
                in: rooms,
                as: caller
            )
            #expect(replaced.id == "urn:r:1")
            #expect(replaced.values == ["name": "B"])
            #expect(replaced.version == 2)
            #expect(replaced.createdAt == created.createdAt)
            #expect(replaced.createdBy == "alice")
            #expect(replaced.updatedAt >= created.updatedAt)
            #expect(try await service.get("urn:r:1", in: rooms, as: caller) == replaced)
        }
    }

    @Test(arguments: StoreBackend.allCases) func replaceIsCheckedLikeEveryWrite(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:r:1", "name": "A"], in: rooms, as: caller)
            _ = try await service.create(["id": "urn:r:2", "name": "B"], in: rooms, as: bob)
            _ = try await service.create(["id": "urn:b:1"], in: boards, as: bob)
            let attempts: [(JSON, Int64?, CollectionPath, String, EntityError.Code)] = [
                (["floor": 1], nil, rooms, "urn:r:1", .validationFailed),
                (["name": "C"], 4, rooms, "urn:r:1", .versionMismatch),
                (["name": "C", "id": "urn:r:9"], nil, rooms, "urn:r:1", .invalidRequest),
                (["name": "C"], nil, rooms, "urn:r:2", .notFound),
                (["name": "C"], nil, rooms, "urn:r:none", .notFound),
                (["a": 1], nil, boards, "urn:b:1", .forbidden),
                ([1, 2], nil, rooms, "urn:r:1", .invalidRequest),
            ]
            for (document, version, collection, id, code) in attempts {
                let error = await #expect(throws: EntityError.self) {
                    _ = try await service.replace(
                        id,
                        with: document,
                        expectedVersion: version,
                        in: collection,
                        as: caller
                    )
                }
                #expect(error?.code == code, "\(id) \(document)")
            }
            #expect(try await service.get("urn:r:1", in: rooms, as: caller).version == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aReplayedReplaceWritesOnce(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:r:1", "name": "A"], in: rooms, as: caller)
            let key = try IdempotencyKey("replace-1", fingerprint: "f")
            for _ in 0..<2 {
                let replaced = try await service.replace(
                    "urn:r:1",
                    with: ["name": "B"],
                    expectedVersion: 1,
                    in: rooms,
                    as: caller,
                    idempotencyKey: key
                )
                #expect(replaced.version == 2)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func multiGetReturnsOnlyWhatTheCallerMayRead(_ backend: StoreBackend)
        async throws
    {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:r:mine", "name": "A"], in: rooms, as: caller)
            _ = try await service.create(["id": "urn:r:bobs", "name": "B"], in: rooms, as: bob)
            let ids = ["urn:r:mine", "urn:r:bobs", "urn:r:missing", "urn:r:mine"]
            #expect(try await service.get(ids, in: rooms, as: caller).keys.sorted() == ["urn:r:mine"])
            #expect(try await service.get(ids, in: rooms, as: bob).keys.sorted() == ["urn:r:bobs"])
            #expect(try await service.get(ids, in: rooms, as: anonymous).isEmpty == true)
            let admin = Caller.user("root", isAdmin: true, channel: "test")
            #expect(try await service.get(ids, in: rooms, as: admin).keys.sorted() == ["urn:r:bobs", "urn:r:mine"])
            #expect(try await service.get([], in: rooms, as: caller).isEmpty == true)

            _ = try await service.create(["id": "urn:b:1"], in: boards, as: bob)
            #expect(try await service.get(["urn:b:1"], in: boards, as: anonymous)["urn:b:1"]?.createdBy == "bob")
            let unknown = await #expect(throws: EntityError.self) {
                _ = try await service.get(["a"], in: CollectionPath("nowhere"), as: caller)
            }
            #expect(unknown?.code == .notFound)
        }
    }
}
