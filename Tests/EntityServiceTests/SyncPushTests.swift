import EntityModel
import EntityService
import EntityStore
import Foundation
import TestStores
import Testing

/// `syncPush` and the conflicts it keeps, on both backends: every merge case, rights, idempotency
/// per (user, device, mutation id), resolving, and the retention of tombstones.
@Suite struct SyncPushTests {
    private let notes = CollectionPath("notes")

    private func schema() -> Schema {
        Schema(collections: [
            "notes": CollectionSchema(),  // private: the creator and grantees read
            "typed": CollectionSchema(fields: ["count": FieldSchema(type: .integer)]),
        ])
    }

    private func withPeople(_ backend: StoreBackend, _ body: (EntityService, SyncPeople) async throws -> Void)
        async throws
    {
        try await SyncPeople.with(backend, schema: schema(), body)
    }

    private func update(
        _ mid: String,
        _ id: String,
        base version: Int64,
        set: [String: JSON] = [:],
        unset: [String] = [],
        base: [String: JSON] = [:]
    ) -> SyncMutation {
        SyncMutation(
            mutationID: mid,
            operation: .update,
            collection: "notes",
            id: id,
            baseVersion: version,
            set: set,
            unset: unset,
            base: base
        )
    }

    private func create(_ mid: String, _ id: String, _ values: [String: JSON], in collection: String = "notes")
        -> SyncMutation
    {
        SyncMutation(mutationID: mid, operation: .create, collection: collection, id: id, set: values)
    }

    private func delete(_ mid: String, _ id: String, base version: Int64) -> SyncMutation {
        SyncMutation(mutationID: mid, operation: .delete, collection: "notes", id: id, baseVersion: version)
    }

    @Test(arguments: StoreBackend.allCases) func aCurrentBaseAppliesAsItIs(_ backend: StoreBackend) async throws {
        try await withPeople(backend) { service, people in
            let results = try await service.syncPush(
                [
                    create("m1", "N1", ["title": "a", "done": false]),
                    update("m2", "N1", base: 1, set: ["title": "b"], unset: ["done"]),
                ],
                device: "phone",
                as: people.alice
            )
            #expect(results.map(\.status) == [.applied, .applied])
            #expect(results.map(\.version) == [1, 2], "the second mutation sees the first")
            let stored = try await service.get("N1", in: notes, as: people.alice)
            #expect(stored.values == ["title": "b"])
            #expect(stored.createdBy == people.alice.userID)
        }
    }

    @Test(arguments: StoreBackend.allCases) func editsOfDifferentKeysMerge(_ backend: StoreBackend) async throws {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush(
                [create("c", "N1", ["a": 1, "b": 1, "c": 1])],
                device: "phone",
                as: people.alice
            )
            let phone = try await service.syncPush(
                [update("p1", "N1", base: 1, set: ["a": 2], base: ["a": 1])],
                device: "phone",
                as: people.alice
            )
            #expect(phone[0].status == .applied)
            let laptop = try await service.syncPush(
                [update("l1", "N1", base: 1, set: ["b": 3, "c": 1], unset: [], base: ["b": 1, "c": 1])],
                device: "laptop",
                as: people.alice
            )
            #expect(laptop[0].status == .merged)
            #expect(laptop[0].version == 3)
            #expect(laptop[0].values == ["a": 2, "b": 3, "c": 1], "the device adopts the merged values")
            #expect(laptop[0].conflicts.isEmpty)

            // The client's new value is already stored: nothing to write, nothing lost.
            let again = try await service.syncPush(
                [update("l2", "N1", base: 1, set: ["a": 2], base: ["a": 1])],
                device: "laptop",
                as: people.alice
            )
            #expect(again[0].status == .merged)
            #expect(again[0].version == 3, "no new version")
        }
    }

    @Test(arguments: StoreBackend.allCases) func theSameKeyChangedTwiceKeepsTheStoredValueAndRecordsAConflict(
        _ backend: StoreBackend
    ) async throws {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush(
                [create("c", "N1", ["t": "base", "n": 1])],
                device: "phone",
                as: people.alice
            )
            _ = try await service.grant(.update, to: people.bobName, on: "N1", in: notes, as: people.alice)
            _ = try await service.syncPush(
                [update("a1", "N1", base: 1, set: ["t": "alice"], base: ["t": "base"])],
                device: "phone",
                as: people.alice
            )
            let results = try await service.syncPush(
                [update("b1", "N1", base: 1, set: ["t": "bob", "n": 2], unset: [], base: ["t": "base", "n": 1])],
                device: "tablet",
                as: people.bob
            )
            let result = results[0]
            #expect(result.status == .conflict)
            #expect(result.version == 3, "the key without a collision still applied")
            #expect(result.values == ["t": "alice", "n": 2])
            let conflict = try #require(result.conflicts.first)
            #expect(conflict.key == "t")
            #expect(conflict.reason == .changed)
            #expect(conflict.base == "base")
            #expect(conflict.server == "alice")
            #expect(conflict.client == "bob")
            #expect(conflict.device == "tablet")
            #expect(conflict.userID == people.bob.userID)

            // Both sides see it; resolving writes a version and closes it.
            for caller in [people.alice, people.bob] {
                let listed = try await service.syncConflicts(after: nil, limit: nil, as: caller)
                #expect(listed.conflicts.map(\.id) == [conflict.id])
            }
            let resolved = try await service.resolveSyncConflict(conflict.id, .value("both"), as: people.alice)
            #expect(resolved?.values["t"] == "both")
            #expect(resolved?.version == 4)
            #expect(try await service.syncConflicts(after: nil, limit: nil, as: people.bob).conflicts.isEmpty)
            await #expect(throws: EntityError.self, "resolved once") {
                _ = try await service.resolveSyncConflict(conflict.id, .keepServer, as: people.bob)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func deletedAndChangedEntitiesBecomeWholeEntityConflicts(
        _ backend: StoreBackend
    ) async throws {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush(
                [create("c1", "N1", ["t": 1]), create("c2", "N2", ["t": 1])],
                device: "phone",
                as: people.alice
            )
            _ = try await service.syncPush([delete("d1", "N1", base: 1)], device: "phone", as: people.alice)
            _ = try await service.syncPush(
                [update("u1", "N2", base: 1, set: ["t": 2])],
                device: "phone",
                as: people.alice
            )

            let laptop = try await service.syncPush(
                [
                    update("l1", "N1", base: 1, set: ["t": 5], base: ["t": 1]),
                    delete("l2", "N2", base: 1),
                    delete("l3", "N1", base: 1),
                ],
                device: "laptop",
                as: people.alice
            )
            #expect(laptop.map(\.status) == [.conflict, .conflict, .applied])
            #expect(laptop[0].conflicts.first?.reason == .deleted)
            #expect(laptop[0].conflicts.first?.client == ["t": 5], "the client's values are kept")
            #expect(laptop[0].version == nil)
            #expect(laptop[1].conflicts.first?.reason == .deleteChanged)
            #expect(laptop[1].values == ["t": 2], "the entity stays")
            #expect(try await service.get("N2", in: notes, as: people.alice).version == 2)

            // Recreated from the kept values; the changed one deleted after all.
            let recreated = try await service.resolveSyncConflict(
                try #require(laptop[0].conflicts.first?.id),
                .value(["t": 5]),
                as: people.alice
            )
            #expect(recreated?.values == ["t": 5])
            let deleted = try await service.resolveSyncConflict(
                try #require(laptop[1].conflicts.first?.id),
                .value(.null),
                as: people.alice
            )
            #expect(deleted == nil)
            await #expect(throws: EntityError.self) { _ = try await service.get("N2", in: notes, as: people.alice) }
        }
    }

    @Test(arguments: StoreBackend.allCases) func aCreateOfAnExistingIDMergesWithAnEmptyBase(_ backend: StoreBackend)
        async throws
    {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush([create("c1", "N1", ["a": 1, "b": 1])], device: "phone", as: people.alice)
            let results = try await service.syncPush(
                [create("c2", "N1", ["a": 1, "b": 2, "c": 3])],
                device: "laptop",
                as: people.alice
            )
            #expect(results[0].status == .conflict)
            #expect(results[0].values == ["a": 1, "b": 1, "c": 3])
            #expect(results[0].conflicts.map(\.key) == ["b"])
            #expect(results[0].conflicts.first?.base == nil, "nothing was there at the client's base")
        }
    }

    @Test(arguments: StoreBackend.allCases) func mutationsTheCallerMayNotMakeAreRejectedOneByOne(
        _ backend: StoreBackend
    ) async throws {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush(
                [create("c1", "R1", ["t": 1]), create("c2", "H1", ["t": 1])],
                device: "phone",
                as: people.alice
            )
            _ = try await service.grant(.read, to: people.bobName, on: "R1", in: notes, as: people.alice)
            let results = try await service.syncPush(
                [
                    update("b1", "R1", base: 1, set: ["t": 2]),
                    delete("b2", "R1", base: 1),
                    update("b3", "H1", base: 1, set: ["t": 2]),
                    create("b4", "H1", ["t": 3]),
                    SyncMutation(mutationID: "b5", operation: .update, collection: "notes", id: "R1", set: ["t": 9]),
                    create("b6", "T1", ["count": "many"], in: "typed"),
                    create("b7", "X1", [:], in: "nowhere"),
                    create("b8", "B1", ["mine": true]),
                ],
                device: "tablet",
                as: people.bob
            )
            #expect(
                results.map(\.status) == [
                    .rejected, .rejected, .rejected, .rejected, .rejected, .rejected, .rejected, .applied,
                ]
            )
            #expect(
                results.compactMap(\.error?.code)
                    == [
                        .forbidden, .forbidden, .notFound, .duplicateID, .validationFailed, .validationFailed,
                        .notFound,
                    ]
            )
            #expect(try await service.get("R1", in: notes, as: people.alice).version == 1, "nothing of it written")
            #expect(try await service.get("B1", in: notes, as: people.bob).values == ["mine": true])
            let anonymous = Caller.anonymous(channel: "sync")
            await #expect(throws: EntityError.self) {
                _ = try await service.syncPush([create("x", "A1", [:])], device: "phone", as: anonymous)
            }
            await #expect(throws: EntityError.self) {
                _ = try await service.syncPush([create("x", "A1", [:])], device: "", as: people.bob)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRetriedPushIsAnsweredFromItsReceipts(_ backend: StoreBackend)
        async throws
    {
        try await withPeople(backend) { service, people in
            let push = [
                create("m1", "N1", ["t": 1]), update("m2", "N1", base: 1, set: ["t": 2]), delete("m3", "Z9", base: 4),
                update("m4", "gone", base: 1, set: ["t": 1]),
            ]
            let first = try await service.syncPush(push, device: "phone", as: people.alice)
            let conflicts = try await service.syncConflicts(after: nil, limit: nil, as: people.alice).conflicts
            let again = try await service.syncPush(push, device: "phone", as: people.alice)
            #expect(again == first, "the same answers")
            #expect(try await service.get("N1", in: notes, as: people.alice).version == 2, "written once")
            #expect(
                try await service.syncConflicts(after: nil, limit: nil, as: people.alice).conflicts == conflicts,
                "no second conflict"
            )

            // A resumed push: the done part is answered, the rest applied.
            let resumed = try await service.syncPush(
                [update("m2", "N1", base: 1, set: ["t": 2]), update("m5", "N1", base: 2, set: ["t": 3])],
                device: "phone",
                as: people.alice
            )
            #expect(resumed.map(\.status) == [.applied, .applied])
            #expect(resumed.map(\.version) == [2, 3])

            let reused = try await service.syncPush(
                [update("m2", "N1", base: 3, set: ["t": "other"])],
                device: "phone",
                as: people.alice
            )
            #expect(reused[0].error?.code == .idempotencyKeyReused)
            #expect(try await service.get("N1", in: notes, as: people.alice).values == ["t": 3])
        }
    }

    @Test(arguments: StoreBackend.allCases) func cursorsOlderThanTheRetentionExpire(_ backend: StoreBackend)
        async throws
    {
        try await withPeople(backend) { service, people in
            _ = try await service.syncPush(
                [create("m0", "N0", ["t": 0]), create("m1", "N1", ["t": 1])],
                device: "phone",
                as: people.alice
            )
            let cursor = try await service.syncChanges(after: nil, limit: nil, collections: nil, as: people.alice)
                .cursor
            _ = try await service.syncPush([delete("m2", "N1", base: 1)], device: "phone", as: people.alice)
            try await service.pruneSync(olderThan: .seconds(3600))
            let page = try await service.syncChanges(after: cursor, limit: nil, collections: nil, as: people.alice)
            #expect(page.changes.map(\.operation) == [.delete], "within the retention the deletion is served")

            try await Task.sleep(for: .milliseconds(20))
            try await service.pruneSync(olderThan: .zero)
            do {
                _ = try await service.syncChanges(after: cursor, limit: nil, collections: nil, as: people.alice)
                Issue.record("a cursor before the pruned deletion must expire")
            } catch let error as EntityError {
                #expect(error.code == .cursorExpired)
            }
            // A snapshot pages through entities older than the horizon, and its cursor does not expire.
            _ = try await service.syncPush([create("m3", "N3", ["t": 3])], device: "phone", as: people.alice)
            var ids: [String] = []
            var snapshotCursor: SyncCursor?
            while true {
                let page = try await service.syncChanges(
                    after: snapshotCursor,
                    limit: 1,
                    collections: nil,
                    as: people.alice
                )
                ids += page.changes.map(\.id)
                snapshotCursor = page.cursor
                if !page.more { break }
            }
            #expect(ids == ["N0", "N3"], "pulling again from no cursor works")
            _ = try await service.syncPush([delete("m4", "N3", base: 1)], device: "phone", as: people.alice)
            let latest = try await service.syncChanges(
                after: snapshotCursor,
                limit: nil,
                collections: nil,
                as: people.alice
            )
            #expect(latest.changes.map { "\($0.operation.rawValue) \($0.id)" } == ["delete N3"])
        }
    }
}
