import EntityModel
import EntityQuery
import EntityStore
import EntityStoreTestKit
import Foundation
import TestStores
import Testing

@testable import PostgresEntityStore

/// Several stores on one database, as several `entityhub serve` processes use it.
@Suite struct SharedDatabaseTests {
    /// The kit's checks of two stores on one database, each pair on a fresh schema.
    @Test(arguments: EntityStoreConformance.sharedDatabaseChecks)
    func conformsSharingOneDatabase(_ check: SharedDatabaseCheck) async throws {
        try await TestDatabase.withSharedStorePairs { makeStores in try await check.run(makeStores) }
    }

    @Test func aReaderFollowingTheChangeLogNeverSeesAHoleWhileTwoStoresWrite() async throws {
        try await TestDatabase.withSharedStores(3) { stores in
            let (first, second, reader) = (stores[0], stores[1], stores[2])
            let writesPerStore = 150
            let observed = try await withThrowingTaskGroup(of: [Change].self) { group in
                for (name, store) in [("a", first), ("b", second)] {
                    group.addTask {
                        for index in 0..<writesPerStore {
                            var batch: [EntityWrite] = [.insert(shared("\(name)\(index)"))]
                            if index % 10 == 0 { batch.append(.insert(shared("\(name)\(index)"))) }  // rolls back
                            try await Self.apply(batch, to: store)
                        }
                        return []
                    }
                }
                group.addTask {
                    // Follows the log while the writers run (for at most two minutes, however loaded the
                    // machine); every page must continue the last one.
                    var seen: [Change] = []
                    let deadline = ContinuousClock.now + .seconds(120)
                    while seen.count < 2 * writesPerStore * 9 / 10, ContinuousClock.now < deadline {
                        let page = try await reader.changes(after: seen.last?.sequence ?? 0, limit: 50)
                        seen += page
                        if page.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
                    }
                    return seen
                }
                var all: [Change] = []
                for try await changes in group { all += changes }
                return all
            }
            let expected = 2 * (writesPerStore - writesPerStore / 10)
            #expect(observed.count == expected, "the reader saw every applied write")
            let start = observed.first?.sequence ?? 0
            #expect(observed.map(\.sequence) == Array(start..<start + Int64(observed.count)), "no holes, no repeats")
            #expect(Set(observed.map(\.id)).count == observed.count, "each write once")
        }
    }

    /// Applies `batch`; one that rolls back (a duplicate) is done with. A loaded machine may make a
    /// write wait past the pool's timeout: it is tried again, never silently lost; any other failure
    /// fails the test.
    private static func apply(_ batch: [EntityWrite], to store: PostgresEntityStore) async throws {
        var attempt = 1
        while true {
            let code: StoreError.Code
            do {
                _ = try await store.apply(batch)
                return
            } catch {
                code = error.code
                guard code == .unavailable, attempt < 5 else {
                    if code == .duplicateID { return }
                    throw error
                }
            }
            attempt += 1
        }
    }

    @Test func aWriteThroughOneStoreIsReadAtOnceThroughTheOther() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            for index in 0..<20 {
                let id = "E\(index)"
                try await stores[index % 2].apply([.insert(shared(id, ["n": .integer(Int64(index))]))])
                let other = stores[(index + 1) % 2]
                #expect(try await other.get(id, in: products)?.values["n"] == .integer(Int64(index)))
                let page = try await other.query(Query(filter: .compare("n", .eq, lit("\(index)"))), in: products)
                #expect(page.entities.map(\.id) == [id])
                #expect(page.total == 1)
            }
        }
    }

    @Test func aTotalCountedThroughOneStoreFollowsWritesThroughTheOther() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            let (counting, writing) = (stores[0], stores[1])
            let open = Query(filter: .compare("status", .eq, lit("open")), limit: 1)
            for round in 1...5 {
                try await writing.apply((0..<2).map { .insert(shared("R\(round)-\($0)", ["status": "open"])) })
                // Counted twice: the second answer may come from the count cache.
                #expect(try await counting.query(open, in: products).total == 2 * round)
                #expect(try await counting.query(open, in: products).total == 2 * round)
            }
            try await writing.apply([.update(shared("R1-0", ["status": "closed"], version: 2), expectedVersion: 1)])
            #expect(try await counting.query(open, in: products).total == 9)
            try await writing.apply([.delete(id: "R2-0", collection: products, expectedVersion: nil)])
            #expect(try await counting.query(open, in: products).total == 8)
        }
    }

    @Test func concurrentCompareAndSetThroughTwoStoresHasOneWinner() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            try await stores[0].apply([.insert(shared("X"))])
            for round in 1...15 {
                let version = Int64(round)
                let outcomes = try await withThrowingTaskGroup(of: StoreError.Code?.self) { group in
                    for (index, store) in stores.enumerated() {
                        group.addTask {
                            let next = shared("X", ["by": .string("store \(index)")], version: version + 1)
                            do {
                                try await store.apply([.update(next, expectedVersion: version)])
                                return nil
                            } catch let error as StoreError {
                                return error.code
                            }
                        }
                    }
                    var codes: [StoreError.Code?] = []
                    for try await code in group { codes.append(code) }
                    return codes
                }
                #expect(outcomes.filter { $0 == nil }.count == 1, "round \(round): one winner")
                #expect(outcomes.filter { $0 == .versionConflict }.count == 1, "round \(round): one conflict")
            }
            #expect(try await stores[1].get("X", in: products)?.version == 16)
        }
    }
}

private func shared(_ id: String, _ values: [String: JSON] = [:], version: Int64 = 1) -> Entity {
    var made = entity(id, values)
    made.version = version
    return made
}
