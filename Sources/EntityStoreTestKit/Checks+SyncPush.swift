import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    private static func receipt(_ mid: String, device: String = "phone", at date: Date = Date()) -> SyncReceipt {
        SyncReceipt(
            userID: "alice",
            device: device,
            mutationID: mid,
            fingerprint: "f-" + mid,
            result: #"{"status":"applied","version":1}"#,
            createdAt: date
        )
    }

    private static func conflict(_ id: String, on entityID: String, key: String? = "n") -> SyncConflict {
        SyncConflict(
            id: id,
            collection: products,
            entityID: entityID,
            key: key,
            reason: key == nil ? .deleted : .changed,
            base: 1,
            server: ["nested": [1, 2]],
            client: key == nil ? ["n": 3] : .null,
            userID: "alice",
            device: "phone",
            createdAt: date(milliseconds: 1_700_000_000_000)
        )
    }

    static let pushReceiptsAndConflictsAreStoredWithTheirWrites = ConformanceCheck(
        "pushReceiptsAndConflictsAreStoredWithTheirWrites"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        try await store.apply(
            [.insert(entity("A", ["n": 1]))],
            records: WriteRecords(receipts: [receipt("m1"), receipt("m2")], conflicts: [conflict("C1", on: "A")])
        )
        let found = try await store.syncReceipts(userID: "alice", device: "phone", mutationIDs: ["m1", "m2", "m3"])
        try expectEqual(Set(found.map(\.mutationID)), ["m1", "m2"], "receipts by mutation id")
        try expectEqual(found.first?.result, #"{"status":"applied","version":1}"#, "the stored answer")
        try expectEqual(
            try await store.syncReceipts(userID: "alice", device: "laptop", mutationIDs: ["m1"]),
            [],
            "receipts are per device"
        )
        try expectEqual(try await store.syncConflict("C1"), conflict("C1", on: "A"), "a conflict reads back as stored")

        // A receipt taken meanwhile fails the whole transaction: its writes are not applied.
        try await expectStoreError(.duplicateKey, "a mutation id pushed twice") {
            try await store.apply(
                [.insert(entity("B", [:]))],
                records: WriteRecords(receipts: [receipt("m3"), receipt("m1")])
            )
        }
        try expectEqual(try await store.get("B", in: products), nil, "the write of the refused push")
        try expectEqual(
            try await store.syncReceipts(userID: "alice", device: "phone", mutationIDs: ["m3"]),
            [],
            "the other receipt of the refused push"
        )
    }

    static let syncConflictsPageAndResolveOnce = ConformanceCheck("syncConflictsPageAndResolveOnce") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.apply(
            [.insert(entity("A", ["n": 1]))],
            records: WriteRecords(
                conflicts: ["C3", "C1", "C2"].map { conflict($0, on: "A") } + [
                    conflict("C4", on: "gone", key: nil)
                ]
            )
        )
        try expectEqual(try await store.syncConflicts(after: nil, limit: 2).map(\.id), ["C1", "C2"], "first page")
        try expectEqual(try await store.syncConflicts(after: "C2", limit: 10).map(\.id), ["C3", "C4"], "second page")
        try expectEqual(try await store.syncConflict("C4")?.key, nil, "a whole-entity conflict has no key")

        try await store.apply(
            [.update(entity("A", ["n": 2], version: 2), expectedVersion: 1)],
            records: WriteRecords(resolvedConflicts: ["C1"])
        )
        try expectEqual(try await store.syncConflict("C1"), nil, "resolved")
        try await expectStoreError(.notFound, "a conflict resolved twice") {
            try await store.apply(
                [.update(entity("A", ["n": 3], version: 3), expectedVersion: 2)],
                records: WriteRecords(resolvedConflicts: ["C2", "C1"])
            )
        }
        try expectEqual(try await store.get("A", in: products)?.version, 2, "the write of the refused resolution")
        try expect(try await store.syncConflict("C2") != nil, "the other conflict of the refused resolution stays")
    }

    static let pruningSyncForgetsOldTombstonesAndReceipts = ConformanceCheck(
        "pruningSyncForgetsOldTombstonesAndReceipts"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let everyone = FeedReader.everyone(schemaKey: products.schemaKey)
        // Written now: the change log's times are the entities' update times.
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        func current(_ id: String) -> Entity {
            Entity(collection: products, id: id, values: [:], version: 1, createdAt: now, updatedAt: now)
        }
        try await store.apply(
            [.insert(current("A")), .insert(current("B"))],
            records: WriteRecords(receipts: [receipt("old", at: Date().addingTimeInterval(-7200))])
        )
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: 1)])
        try expectEqual(try await store.syncHorizon(), 0, "nothing pruned yet")
        try await store.pruneSync(before: Date().addingTimeInterval(-3600))
        try expectEqual(try await store.syncHorizon(), 0, "nothing was logged an hour ago")
        try expectEqual(
            try await store.syncReceipts(userID: "alice", device: "phone", mutationIDs: ["old"]),
            [],
            "receipts older than the retention"
        )

        try await store.apply([.insert(current("C"))], records: WriteRecords(receipts: [receipt("new")]))
        let last = try await store.changes(after: 0, limit: 100).last?.sequence ?? 0
        try await Task.sleep(for: .milliseconds(20))
        try await store.pruneSync(before: Date())
        try expectEqual(try await store.syncHorizon(), last, "the horizon is the last change logged before the date")
        let rows = try await store.feed(of: [everyone], after: 0, limit: 100)
        try expectEqual(rows.map(\.id).sorted(), ["B", "C"], "the deletion of A is forgotten, upserts stay")
        try expectEqual(
            try await store.syncReceipts(userID: "alice", device: "phone", mutationIDs: ["new"]).count,
            0,
            "receipts before the date"
        )
        try await store.pruneSync(before: Date().addingTimeInterval(-3600))
        try expectEqual(try await store.syncHorizon(), last, "the horizon never moves back")
    }
}
