import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

/// `"access": {"write": …}`: who holds D on every entity of a collection.
@Suite struct WriteAccessTests {
    @Test(arguments: StoreBackend.allCases) func authenticatedWriteLetsEverySignedInUserReadChangeAndDelete(
        _ backend: StoreBackend
    ) async throws {
        try await withURIService(backend) { service in
            let bobs = try await service.create(["n": 1], in: team, as: bob)
            let other = try await service.create(["n": 2], in: team, as: bob)
            #expect(try await service.get(bobs.id, in: team, as: caller).values == ["n": 1])
            #expect(try await service.list(Query(), in: team, as: caller).total == 2)
            _ = try await service.update(bobs.id, setting: ["n": 3], in: team, as: caller)
            _ = try await service.replace(bobs.id, with: ["m": 4], in: team, as: caller)
            try await service.delete(other.id, in: team, as: caller)
            #expect(try await service.get(bobs.id, in: team, as: bob).values == ["m": 4])

            // Anonymous callers get nothing: the collection stays private to them.
            let unseen = await #expect(throws: EntityError.self) {
                _ = try await service.get(bobs.id, in: team, as: anonymous)
            }
            #expect(unseen?.code == .notFound)
            #expect(try await service.list(Query(), in: team, as: anonymous).total == 0)
            let results = try await service.performEach([.delete(id: bobs.id)], in: team, as: anonymous)
            #expect(results.map(\.errorCode) == [.notFound])
        }
    }

    @Test(arguments: StoreBackend.allCases) func anyoneWriteLetsAnonymousCallersDoEverythingButShare(
        _ backend: StoreBackend
    ) async throws {
        try await withURIService(backend) { service in
            let anonymousRoom = try await service.create(["id": "urn:o:1"], in: broker, as: anonymous)
            #expect(anonymousRoom.createdBy == nil)
            _ = try await service.create(["id": "urn:o:2", "owner": "bob"], in: broker, as: bob)
            let page = try await service.list(Query(), in: broker, as: anonymous)
            #expect(page.entities.map(\.id).sorted() == ["urn:o:1", "urn:o:2"])
            _ = try await service.replace("urn:o:2", with: ["changed": true], in: broker, as: anonymous)
            _ = try await service.patch("urn:o:1", with: ["seen": true], in: broker, as: caller)
            try await service.delete("urn:o:2", in: broker, as: anonymous)
            #expect(try await service.get(["urn:o:1", "urn:o:2"], in: broker, as: bob).keys.sorted() == ["urn:o:1"])
            let sharing = await #expect(throws: EntityError.self) {
                _ = try await service.accessList(on: "urn:o:1", in: broker, as: caller)
            }
            #expect(sharing?.code == .forbidden)
        }
    }

    @Test(arguments: StoreBackend.allCases) func creatorWriteKeepsOthersOut(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:b:1"], in: boards, as: bob)
            #expect(try await service.get("urn:b:1", in: boards, as: caller).createdBy == "bob")
            let error = await #expect(throws: EntityError.self) {
                try await service.delete("urn:b:1", in: boards, as: caller)
            }
            #expect(error?.code == .forbidden)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theSharingListShowsTheWriteDefault(_ backend: StoreBackend)
        async throws
    {
        try await withURIService(backend) { service in
            let admin = Caller.user("root", isAdmin: true, channel: "test")
            let carol = try await service.accounts.addUser(name: "carol", password: nil, isAdmin: false, as: admin)
            _ = try await service.accounts.addUser(name: "dave", password: nil, isAdmin: false, as: admin)
            let entity = try await service.create(["n": 1], in: team, as: .user(carol, channel: "test"))
            let entries = try await service.accessList(on: entity.id, in: team, as: .user(carol, channel: "test"))
            #expect(entries.map(\.user) == ["carol", "dave"])
            #expect(entries.map(\.right) == [.creator, .delete])
            #expect(entries.allSatisfy { $0.grantID == nil })
            // A grant weaker than the default changes nothing.
            _ = try await service.grant(.read, to: "dave", on: entity.id, in: team, as: .user(carol, channel: "test"))
            let after = try await service.accessList(on: entity.id, in: team, as: .user(carol, channel: "test"))
            #expect(after.map(\.right) == [.creator, .delete])
        }
    }
}
