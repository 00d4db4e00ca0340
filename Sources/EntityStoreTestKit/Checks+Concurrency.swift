import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    static let concurrentWritersAllSucceedWithUniqueSequences = ConformanceCheck(
        "concurrentWritersAllSucceedWithUniqueSequences"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let sequences = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    for item in 0..<25 {
                        mine += try await store.apply([
                            .insert(entity("T\(task)-\(item)", ["task": .integer(Int64(task))]))
                        ])
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        try expectEqual(sequences.count, 200, "sequence numbers of 200 inserts")
        try expectEqual(Set(sequences).count, 200, "distinct sequence numbers of 200 inserts")
        try expectEqual(try await store.query(Query(limit: 0), in: products).total, 200, "entities stored")
        let log = try await store.changes(after: 0, limit: 1000).map(\.sequence)
        try expect(log == log.sorted(), "the change log is ordered by sequence")
        try expectEqual(Set(log), Set(sequences), "the sequences in the change log")
    }

    /// Many tasks increment one counter with compare-and-set, retrying on a version conflict, while a
    /// reader follows the change log: no update is lost, and the reader sees every change once, in order.
    static let concurrentCompareAndSetLosesNoUpdate = ConformanceCheck("concurrentCompareAndSetLosesNoUpdate") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("counter", ["n": 0])])
        let tasks = 8
        let increments = 10
        let updates = tasks * increments
        let (conflicts, followed) = try await withThrowingTaskGroup(of: (Int, [Change]).self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var conflicts = 0
                    var done = 0
                    while done < increments {
                        try Task.checkCancellation()
                        guard let current = try await store.get("counter", in: products),
                            case .integer(let n)? = current.values["n"]
                        else {
                            throw ConformanceFailure(message: "the counter is gone", file: #filePath, line: #line)
                        }
                        var next = current
                        next.values["n"] = .integer(n + 1)
                        next.version = current.version + 1
                        next.updatedAt = Date()
                        do {
                            try await store.apply([.update(next, expectedVersion: current.version)])
                            done += 1
                        } catch let error as StoreError where error.code == .versionConflict {
                            conflicts += 1
                            try expect(conflicts < 100_000, "compare-and-set never succeeds")
                            await Task.yield()
                        }
                    }
                    return (conflicts, [])
                }
            }
            group.addTask {
                // Follows the log as a replica would, until it has seen the insert and every update.
                var seen: [Change] = []
                let deadline = Date().addingTimeInterval(60)
                while seen.count < 1 + updates {
                    try Task.checkCancellation()
                    try expect(Date() < deadline, "the reader saw \(seen.count) of \(1 + updates) changes in 60 s")
                    let page = try await store.changes(after: seen.last?.sequence ?? 0, limit: 7)
                    seen += page
                    if page.isEmpty { await Task.yield() }
                }
                return (0, seen)
            }
            var conflicts = 0
            var followed: [Change] = []
            for try await (taskConflicts, changes) in group {
                conflicts += taskConflicts
                followed += changes
            }
            return (conflicts, followed)
        }
        let final = try await store.get("counter", in: products)
        try expectEqual(
            final?.values["n"],
            .integer(Int64(updates)),
            "n after \(updates) increments (\(conflicts) retries)"
        )
        try expectEqual(final?.version, Int64(1 + updates), "version after \(updates) successful updates")
        let log = try await store.changes(after: 0, limit: 1000)
        try expectEqual(followed, log, "the changes a reader followed during the writes, against the final log")
        try expectEqual(log.map(\.version), (1...Int64(1 + updates)).map { $0 }, "versions in the change log")
        let sequences = log.map(\.sequence)
        try expect(
            zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 },
            "sequences strictly increase: \(sequences)"
        )
    }

    /// Concurrent batches stay atomic one by one: a failing batch leaves no trace, the others commit,
    /// and a concurrent reader never sees part of a batch.
    static let concurrentBatchesStayAtomic = ConformanceCheck("concurrentBatchesStayAtomic") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("taken", ["n": 0])])
        let batches = 24
        let size = 50
        let outcomes = try await withThrowingTaskGroup(of: [Int: Bool].self) { group in
            for batch in 0..<batches {
                group.addTask {
                    var writes: [EntityWrite] = (0..<size).map {
                        .insert(entity("B\(batch)-\($0)", ["batch": .integer(Int64(batch))]))
                    }
                    // Every third batch ends with a duplicate id: all of it must roll back.
                    if batch % 3 == 0 { writes.append(.insert(entity("taken", ["n": 1]))) }
                    do {
                        try await store.apply(writes)
                        return [batch: true]
                    } catch let error as StoreError where error.code == .duplicateID {
                        try expectEqual(error.index, size, "index of the failing write of batch \(batch)")
                        return [batch: false]
                    }
                }
            }
            group.addTask {
                for round in 0..<40 {
                    let batch = round % batches
                    let query = Query(filter: .compare("batch", .eq, .json(.integer(Int64(batch)))), limit: 0)
                    let total = try await store.query(query, in: products).total ?? -1
                    try expect(
                        total == 0 || total == size,
                        "a reader saw \(total) of the \(size) writes of batch \(batch)"
                    )
                    await Task.yield()
                }
                return [:]
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { $1 } }
        }
        for batch in 0..<batches {
            try expectEqual(outcomes[batch], batch % 3 != 0, "outcome of batch \(batch)")
            let stored = try await store.query(
                Query(filter: .pattern("id", "B\(batch)-*", caseInsensitive: false), limit: 0),
                in: products
            )
            try expectEqual(stored.total, batch % 3 == 0 ? 0 : size, "entities stored of batch \(batch)")
        }
        try expectEqual(try await store.get("taken", in: products)?.values["n"], 0, "the entity 'taken'")
        let changes = try await store.changes(after: 0, limit: 10_000)
        try expectEqual(changes.count, 1 + 16 * size, "changes logged")
        try expect(changes.map(\.sequence) == changes.map(\.sequence).sorted(), "the change log is ordered")
    }
}
