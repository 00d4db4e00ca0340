import EntityModel
import EntityQuery
import EntityStore
import Foundation
import GRDB
import Testing

@testable import SQLiteEntityStore

/// How a store keeps totals (``KeptTotals``): bounded per collection, counted once however many ask.
/// That the totals stay exact through writes and grants is checked by `ConformanceTests`
/// (`totalsStayExactThroughRandomInterleavings`).
@Suite struct KeptTotalsTests {
    @Test func concurrentRequestsForOneUncachedTotalCountOnce() async throws {
        let totals = KeptTotals<KeptCondition>()
        let condition = KeptCondition(sql: "1", arguments: [])
        let counts = LockedValue(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await totals.registering(condition, in: "products") {
                        counts.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(200))
                        totals.keep(.init(id: 1, collection: "products", condition: condition))
                    }
                    #expect(totals.id(of: condition, in: "products") == 1, "every caller finds the kept total")
                }
            }
            try await group.waitForAll()
        }
        #expect(counts.current == 1)
    }

    @Test func concurrentListsOfOneFilterKeepOneTotal() async throws {
        let store = try SQLiteEntityStore.inMemory()
        try await store.apply((0..<50).map { .insert(entity(String(format: "P%02d", $0), ["status": "open"])) })
        let page = Query(filter: .compare("status", .eq, .literal("open", quoted: true)), limit: 5)
        let totals = try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<16 { group.addTask { try await store.query(page, in: products).total } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(totals == Array(repeating: 50, count: 16))
        #expect(try await keptRows(store) == 1)
    }

    @Test func aCollectionKeepsItsMostRecentlyUsedTotals() async throws {
        let store = try SQLiteEntityStore.inMemory(configuration: .init(keptTotalsPerCollection: 2))
        try await store.apply((0..<30).map { .insert(entity(String(format: "P%02d", $0), ["n": .integer(Int64($0))])) })
        let total = { @Sendable (limit: Int64) async throws -> Int? in
            try await store.query(Query(filter: .compare("n", .lt, .json(.integer(limit))), limit: 1), in: products)
                .total
        }
        #expect(try await total(10) == 10)
        #expect(try await total(20) == 20)
        #expect(try await total(10) == 10)  // now the most recent
        #expect(try await total(25) == 25)  // evicts `< 20`
        #expect(try await keptRows(store) == 2)
        let kept = store.totals.entries(in: products.storageKey).map(\.condition.arguments)
        #expect(kept.contains { $0.contains(10.databaseValue) } && kept.contains { $0.contains(25.databaseValue) })
        #expect(!kept.contains { $0.contains(20.databaseValue) }, "the least recently used is gone")
        // Other collections keep their own.
        try await store.apply([.insert(entity("O1", ["n": .integer(1)], in: CollectionPath("orders")))])
        _ = try await store.query(
            Query(filter: .compare("n", .lt, .json(.integer(5))), limit: 0),
            in: CollectionPath("orders")
        )
        #expect(try await keptRows(store) == 3)
        // Totals kept or not, they follow the writes.
        try await store.apply([.delete(id: "P05", collection: products, expectedVersion: nil)])
        #expect(try await total(10) == 9)
        #expect(try await total(20) == 19)
    }

    @Test func preparingASchemaDropsTheKeptTotals() async throws {
        let store = try SQLiteEntityStore.inMemory()
        try await store.apply((0..<3).map { .insert(entity("P\($0)", ["title": "red lamp"])) })
        #expect(try await store.query(Query(search: "lamp", limit: 1), in: products).total == 3)
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(searchFields: ["note"])]))
        #expect(try await keptRows(store) == 0)
        #expect(try await store.query(Query(search: "lamp", limit: 1), in: products).total == 0)
    }

    private func keptRows(_ store: SQLiteEntityStore) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kept_totals") ?? 0 }
    }
}
