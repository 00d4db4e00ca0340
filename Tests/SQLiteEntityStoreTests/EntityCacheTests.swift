import EntityModel
import Foundation
import Testing

@testable import SQLiteEntityStore

@Suite struct EntityCacheTests {
    func entity(_ id: String) -> Entity {
        Entity(collection: CollectionPath("products"), id: id, values: [:], createdAt: Date(), updatedAt: Date())
    }

    func key(_ id: String) -> EntityCache.Key { EntityCache.Key(collection: "products", id: id) }

    @Test func staysWithinItsByteBudget() {
        let cache = EntityCache(capacity: 100, maximumBytes: 800)
        for index in 0..<20 {
            cache.remember(entity("E\(index)"), size: 90, generation: cache.currentGeneration)
        }
        let kept = (0..<20).filter { cache.entity(key("E\($0)")) != nil }
        #expect(kept.count == 8)
        cache.remember(entity("big"), size: 101, generation: cache.currentGeneration)
        #expect(cache.entity(key("big")) == nil)
    }

    @Test func staysWithinItsCount() {
        let cache = EntityCache(capacity: 3, maximumBytes: 1 << 20)
        for index in 0..<10 {
            cache.remember(entity("E\(index)"), size: 1, generation: cache.currentGeneration)
        }
        #expect((0..<10).filter { cache.entity(key("E\($0)")) != nil }.count == 3)
    }

    @Test func theOldestEntriesMakeRoom() {
        let cache = EntityCache(capacity: 3, maximumBytes: 1 << 20)
        for id in ["A", "B", "C", "D"] { cache.remember(entity(id), size: 1, generation: cache.currentGeneration) }
        #expect(["A", "B", "C", "D"].filter { cache.entity(key($0)) != nil } == ["B", "C", "D"])
        cache.remember(entity("B"), size: 1, generation: cache.currentGeneration)  // B is new again
        cache.evict([key("C")])
        cache.remember(entity("E"), size: 1, generation: cache.currentGeneration)
        cache.remember(entity("F"), size: 1, generation: cache.currentGeneration)
        #expect(["B", "C", "D", "E", "F"].filter { cache.entity(key($0)) != nil } == ["B", "E", "F"])
        // Thousands of turns later the cache holds the newest entries still valid.
        for index in 0..<5_000 {
            cache.remember(entity("N\(index)"), size: 1, generation: cache.currentGeneration)
            if index % 7 == 0 { cache.evict([key("N\(index)")]) }
        }
        // (4,998 was evicted by a write, so nothing had to make room for 4,999.)
        #expect((4_990..<5_000).filter { cache.entity(key("N\($0)")) != nil } == [4_996, 4_997, 4_999])
    }

    @Test func aReadThatRacedAWriteIsNotKept() {
        let cache = EntityCache(capacity: 10, maximumBytes: 1 << 20)
        let before = cache.currentGeneration
        cache.evict([key("E1")])
        cache.remember(entity("E1"), size: 1, generation: before)
        #expect(cache.entity(key("E1")) == nil)
    }
}
