import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    static let failingWriteRollsBackTheWholeBatch = ConformanceCheck("failingWriteRollsBackTheWholeBatch") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("X", ["title": "existing"])])
        let before = try await store.changes(after: 0, limit: 100)
        try await expectStoreError(.duplicateID, index: 2, "a batch whose third write inserts an existing id") {
            try await store.apply([
                .insert(entity("A", ["title": "alpha"])),
                .update(entity("X", ["title": "changed"], version: 2), expectedVersion: 1),
                .insert(entity("X", [:])),
            ])
        }
        try expectEqual(try await store.get("A", in: products), nil, "A of the failed batch")
        try expectEqual(try await store.get("X", in: products)?.values["title"], "existing", "X after the rollback")
        try expectEqual(try await store.changes(after: 0, limit: 100), before, "the change log after the rollback")
        // Nothing of the failed batch is searchable or counted either.
        try await expectIDs(store, Query(search: "alpha"), [])
        try await expectIDs(store, Query(search: "changed"), [])
        try expectEqual(try await store.query(Query(limit: 0), in: products).total, 1, "total after the rollback")
    }

    static let aBatchFailingAtAnyItemAppliesNothing = ConformanceCheck("aBatchFailingAtAnyItemAppliesNothing") {
        makeStore in
        let failures: [(String, StoreError.Code, EntityWrite)] = [
            ("an insert of an existing id", .duplicateID, .insert(entity("K", ["n": 0]))),
            ("a stale update", .versionConflict, .update(entity("K", ["n": 0], version: 9), expectedVersion: 8)),
            ("an update of a missing id", .notFound, .update(entity("M", ["n": 0], version: 2), expectedVersion: 1)),
            ("a stale delete", .versionConflict, .delete(id: "K", collection: products, expectedVersion: 5)),
            ("a delete of a missing id", .notFound, .delete(id: "M", collection: products, expectedVersion: nil)),
        ]
        let good: [EntityWrite] = [
            .insert(entity("N1", ["n": 1])),
            .update(entity("K", ["n": 2], version: 2), expectedVersion: 1),
            .insert(entity("N2", ["n": 3])),
            .delete(id: "D", collection: products, expectedVersion: 1),
        ]
        for (name, code, failing) in failures {
            for position in 0...good.count {
                let store = try await freshStore(makeStore)
                try await store.insert([entity("K", ["n": 1]), entity("D", ["n": 1])])
                let before = try await store.changes(after: 0, limit: 100)
                var batch = good
                batch.insert(failing, at: position)
                try await expectStoreError(code, index: position, "\(name) at position \(position) of the batch") {
                    try await store.apply(batch)
                }
                try expectEqual(
                    try await store.changes(after: 0, limit: 100),
                    before,
                    "change log after \(name) failed at position \(position)"
                )
                try await expectIDs(store, Query(), ["D", "K"])
                try expectEqual(try await store.get("K", in: products)?.version, 1, "K after the rollback")
            }
        }
    }

    static let laterWritesOfABatchSeeEarlierOnes = ConformanceCheck("laterWritesOfABatchSeeEarlierOnes") { makeStore in
        let store = try await freshStore(makeStore)
        let final = entity("A", ["n": 3], version: 3)
        let sequences = try await store.apply([
            .insert(entity("A", ["n": 1])),
            .update(entity("A", ["n": 2], version: 2), expectedVersion: 1),
            .update(final, expectedVersion: 2),
            .insert(entity("B", ["n": 1])),
            .delete(id: "B", collection: products, expectedVersion: 1),
            .insert(entity("B", ["n": 2])),
        ])
        try expectEqual(sequences.count, 6, "one sequence number per write")
        try expect(
            zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 },
            "sequence numbers of one batch increase in the order of its writes: \(sequences)"
        )
        try await expectStored(final, in: store)
        try await expectStored(entity("B", ["n": 2]), in: store)
        let changes = try await store.changes(after: 0, limit: 100)
        try expectEqual(changes.map(\.sequence), sequences, "change-log sequences")
        try expectEqual(changes.map(\.version), [1, 2, 3, 1, 1, 1], "change-log versions")
        try expectEqual(
            changes.map(\.kind),
            [.upsert, .upsert, .upsert, .upsert, .delete, .upsert],
            "change-log kinds"
        )
    }
}
