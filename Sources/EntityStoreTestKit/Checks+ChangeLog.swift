import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    static let changeLogRecordsEveryWriteInOrder = ConformanceCheck("changeLogRecordsEveryWriteInOrder") { makeStore in
        let store = try await freshStore(makeStore)
        try expectEqual(try await store.changes(after: 0, limit: 10), [], "the change log of an empty store")
        let first = try await store.apply([.insert(entity("A", [:])), .insert(entity("B", [:]))])
        let second = try await store.apply([
            .update(entity("A", ["x": 1], version: 2), expectedVersion: 1),
            .delete(id: "B", collection: products, expectedVersion: nil),
        ])
        let sequences = first + second
        try expect(
            zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 },
            "sequence numbers strictly increase across batches: \(sequences)"
        )
        let changes = try await store.changes(after: 0, limit: 10)
        try expectEqual(changes.map(\.sequence), sequences, "change-log sequences")
        try expectEqual(changes.map(\.kind), [.upsert, .upsert, .upsert, .delete], "change-log kinds")
        try expectEqual(changes.map(\.id), ["A", "B", "A", "B"], "change-log ids")
        try expectEqual(changes.map(\.version), [1, 1, 2, 1], "change-log versions")
        try expectEqual(changes.map(\.collection), Array(repeating: products, count: 4), "change-log collections")
        try expectEqual(
            try await store.changes(after: sequences[1], limit: 10).map(\.sequence),
            Array(sequences[2...]),
            "changes after the second"
        )
        try expectEqual(try await store.changes(after: 0, limit: 1).map(\.sequence), [sequences[0]], "limit 1")
        try expectEqual(try await store.changes(after: sequences[3], limit: 10), [], "changes after the last")
        try expectEqual(try await store.changes(after: 0, limit: 0), [], "changes with limit 0")
    }

    static let changeLogPagesOldestFirst = ConformanceCheck("changeLogPagesOldestFirst") { makeStore in
        let store = try await freshStore(makeStore)
        let other = CollectionPath(namespace: "ns", segments: ["things"]).nested("parts", in: "T1")
        var expected: [(Change.Kind, CollectionPath, String, Int64)] = []
        for round in 0..<10 {
            let id = "R\(round)"
            try await store.apply([.insert(entity(id, ["n": 0])), .insert(entity(id, [:], in: other))])
            expected += [(.upsert, products, id, 1), (.upsert, other, id, 1)]
            try await store.apply([.update(entity(id, ["n": 1], version: 2), expectedVersion: 1)])
            expected.append((.upsert, products, id, 2))
            if round % 3 == 0 {
                try await store.apply([.delete(id: id, collection: products, expectedVersion: 2)])
                expected.append((.delete, products, id, 2))
            }
        }
        var seen: [Change] = []
        var after: Int64 = 0
        while true {
            let page = try await store.changes(after: after, limit: 4)
            try expect(page.count <= 4, "changes(after: \(after), limit: 4) returned \(page.count) changes")
            guard let last = page.last else { break }
            seen += page
            after = last.sequence
            try expect(seen.count <= expected.count, "walking the change log does not end")
        }
        let sequences = seen.map(\.sequence)
        try expect(
            zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 },
            "sequences walking the change log strictly increase: \(sequences)"
        )
        try expectEqual(seen.count, expected.count, "changes walking the log 4 at a time")
        for (change, (kind, collection, id, version)) in zip(seen, expected) {
            let actual = "\(change.kind) \(change.collection) \(change.id) v\(change.version)"
            try expectEqual(actual, "\(kind) \(collection) \(id) v\(version)", "change #\(change.sequence)")
        }
        try expectEqual(try await store.changes(after: 0, limit: 1000), seen, "the whole log at once")
    }

    /// A reader that follows the log by sequence number can tell a missed change from none: numbers
    /// have no holes, even where batches failed and rolled back halfway.
    static let failedBatchesLeaveNoHoleInTheChangeLog = ConformanceCheck("failedBatchesLeaveNoHoleInTheChangeLog") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.apply([.insert(entity("A", [:]))])
        for round in 0..<3 {
            try await expectStoreError(.duplicateID, index: 2, "a batch whose third write repeats an id") {
                try await store.apply([
                    .insert(entity("F\(round)", [:])),
                    .update(entity("A", ["n": .integer(Int64(round))], version: 2), expectedVersion: 1),
                    .insert(entity("A", [:])),
                ])
            }
            try await store.apply([.insert(entity("B\(round)", [:]))])
        }
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: 1)])
        let sequences = try await store.changes(after: 0, limit: 100).map(\.sequence)
        try expectEqual(sequences.count, 5, "changes of the five writes that were applied")
        let first = sequences.first ?? 0
        try expectEqual(sequences, Array(first..<first + 5), "sequence numbers after failed batches")
    }
}
