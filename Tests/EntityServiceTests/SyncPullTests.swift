import EntityModel
import EntityService
import TestStores
import Testing

/// `syncChanges`: what a device pulls, on both backends: the snapshot, then what changed after the
/// cursor, deletions and lost shares included.
@Suite struct SyncPullTests {
    private let notes = CollectionPath("notes")
    private let news = CollectionPath("news")

    private func schema() -> Schema {
        Schema(collections: [
            "notes": CollectionSchema(),  // private: the creator and grantees read
            "news": CollectionSchema(access: CollectionAccess(read: .publicRead)),
        ])
    }

    private func withPeople(_ backend: StoreBackend, _ body: (EntityService, SyncPeople) async throws -> Void)
        async throws
    {
        try await SyncPeople.with(backend, schema: schema(), body)
    }

    /// Pulls until `more` is false; returns `op id` lines and the last cursor.
    private func pullAll(_ service: EntityService, after cursor: SyncCursor?, as caller: Caller, limit: Int = 500)
        async throws -> (lines: [String], cursor: SyncCursor)
    {
        var lines: [String] = []
        var cursor = cursor
        while true {
            let page = try await service.syncChanges(after: cursor, limit: limit, collections: nil, as: caller)
            lines += page.changes.map { "\($0.operation.rawValue) \($0.id)" }
            cursor = page.cursor
            if !page.more { return (lines, page.cursor) }
        }
    }

    @Test(arguments: StoreBackend.allCases) func theSnapshotHoldsWhatTheCallerMayRead(_ backend: StoreBackend)
        async throws
    {
        try await withPeople(backend) { service, people in
            _ = try await service.create(["id": "N1", "t": "mine"], in: notes, as: people.alice)
            _ = try await service.create(["id": "W1", "t": "hello"], in: news, as: people.admin)
            let alices = try await service.syncChanges(after: nil, limit: nil, collections: nil, as: people.alice)
            #expect(alices.changes.map(\.id).sorted() == ["N1", "W1"])
            #expect(alices.changes.first { $0.id == "N1" }?.right == .creator)
            #expect(alices.changes.first { $0.id == "W1" }?.right == .read)
            #expect(alices.changes.first { $0.id == "N1" }?.entity?.values["t"] == "mine")
            #expect(!alices.more)
            let bobs = try await service.syncChanges(after: nil, limit: nil, collections: nil, as: people.bob)
            #expect(bobs.changes.map(\.id) == ["W1"], "bob may not read alice's note")
            let anonymous = try await service.syncChanges(
                after: nil,
                limit: nil,
                collections: nil,
                as: .anonymous(channel: "sync")
            )
            #expect(anonymous.changes.map(\.id) == ["W1"])
            let filtered = try await service.syncChanges(
                after: nil,
                limit: nil,
                collections: ["news"],
                as: people.alice
            )
            #expect(filtered.changes.map(\.id) == ["W1"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func sharesUpdatesRevocationsAndDeletesReachTheRightDevices(
        _ backend: StoreBackend
    ) async throws {
        try await withPeople(backend) { service, people in
            _ = try await service.create(["id": "N1", "t": "a"], in: notes, as: people.alice)
            _ = try await service.create(["id": "N2", "t": "b"], in: notes, as: people.alice)
            let (_, bobStart) = try await pullAll(service, after: nil, as: people.bob)
            let (_, aliceStart) = try await pullAll(service, after: nil, as: people.alice)

            _ = try await service.grant(.read, to: "bob", on: "N1", in: notes, as: people.alice)
            var (lines, bobCursor) = try await pullAll(service, after: bobStart, as: people.bob)
            #expect(lines == ["upsert N1"], "a share reaches the grantee as an upsert")
            let shared = try await service.syncChanges(after: bobStart, limit: nil, collections: nil, as: people.bob)
            #expect(shared.changes.first?.right == .read)
            #expect(shared.changes.first?.entity?.values["t"] == "a")

            _ = try await service.update("N1", setting: ["t": "a2"], in: notes, as: people.alice)
            (lines, bobCursor) = try await pullAll(service, after: bobCursor, as: people.bob)
            #expect(lines == ["upsert N1"], "the grantee follows changes")

            try await service.revokeGrant(from: "bob", on: "N1", in: notes, as: people.alice)
            (lines, bobCursor) = try await pullAll(service, after: bobCursor, as: people.bob)
            #expect(lines == ["revoke N1"], "a lost share is a revoke: the device drops its copy")

            try await service.delete("N2", in: notes, as: people.alice)
            (lines, _) = try await pullAll(service, after: aliceStart, as: people.alice)
            #expect(lines == ["upsert N1", "delete N2"], "one entry per entity, its latest state")
            (lines, _) = try await pullAll(service, after: bobCursor, as: people.bob)
            #expect(lines == [], "bob never read N2: its deletion is not his")
        }
    }

    @Test(arguments: StoreBackend.allCases) func pagesVisitEveryEntityOnce(_ backend: StoreBackend) async throws {
        try await withPeople(backend) { service, people in
            for n in 0..<7 {
                _ = try await service.create(["id": .string("N\(n)")], in: notes, as: people.alice)
            }
            _ = try await service.update("N0", setting: ["x": 1], in: notes, as: people.alice)
            let (lines, _) = try await pullAll(service, after: nil, as: people.alice, limit: 2)
            #expect(lines.sorted() == (0..<7).map { "upsert N\($0)" }.sorted())
            #expect(lines.last == "upsert N0", "an entity comes at its latest change")
        }
    }

    @Test(arguments: StoreBackend.allCases) func badCursorsAndLimitsAreRefused(_ backend: StoreBackend) async throws {
        try await withPeople(backend) { service, people in
            let foreign = SyncCursor(storeID: "another-store", sequence: 3)
            let expired = await #expect(throws: EntityError.self) {
                _ = try await service.syncChanges(after: foreign, limit: nil, collections: nil, as: people.alice)
            }
            #expect(expired?.code == .cursorExpired)
            for limit in [0, 1001] {
                let error = await #expect(throws: EntityError.self) {
                    _ = try await service.syncChanges(after: nil, limit: limit, collections: nil, as: people.alice)
                }
                #expect(error?.code == .invalidRequest)
            }
            let unknown = await #expect(throws: EntityError.self) {
                _ = try await service.syncChanges(after: nil, limit: nil, collections: ["nope"], as: people.alice)
            }
            #expect(unknown?.code == .invalidRequest)
            let page = try await service.syncChanges(after: nil, limit: nil, collections: nil, as: people.alice)
            #expect(SyncCursor(token: page.cursor.token) == page.cursor, "a cursor survives its token")
            #expect(SyncCursor(token: "not a cursor") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theChangeLogOfAUserIsTheirFeed(_ backend: StoreBackend) async throws {
        try await withPeople(backend) { service, people in
            let start = try await service.changes(after: 0, limit: 1000, as: people.bob).next
            _ = try await service.create(["id": "N1", "t": "a"], in: notes, as: people.alice)
            _ = try await service.create(["id": "N2", "t": "b"], in: notes, as: people.alice)
            _ = try await service.grant(.read, to: people.bobName, on: "N1", in: notes, as: people.alice)
            _ = try await service.grant(.read, to: people.bobName, on: "N2", in: notes, as: people.alice)
            _ = try await service.update("N1", setting: ["t": "a2"], in: notes, as: people.alice)
            _ = try await service.update("N1", setting: ["t": "a3"], in: notes, as: people.alice)
            func lines(_ page: ChangePage) -> [String] { page.changes.map { "\($0.kind) \($0.id) v\($0.version)" } }
            let shared = try await service.changes(after: start, limit: 1000, as: people.bob)
            #expect(lines(shared) == ["upsert N2 v1", "upsert N1 v3"], "one entry per entity, its latest state")

            try await service.revokeGrant(from: people.bobName, on: "N2", in: notes, as: people.alice)
            try await service.delete("N1", in: notes, as: people.alice)
            let gone = try await service.changes(after: shared.next, limit: 1000, as: people.bob)
            #expect(lines(gone) == ["delete N2 v1", "delete N1 v3"], "a lost share and a private deletion reach bob")
            let own = try await service.changes(after: 0, limit: 1000, as: people.alice)
            #expect(lines(own) == ["upsert N2 v1", "delete N1 v3"])
            let paged = try await service.changes(after: start, limit: 1, as: people.bob)
            #expect(paged.changes.count <= 1 && paged.next > start, "a page of one feed row")
        }
    }
}
