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

    @Test func aReadThatRacedAWriteIsNotKept() {
        let cache = EntityCache(capacity: 10, maximumBytes: 1 << 20)
        let before = cache.currentGeneration
        cache.evict([key("E1")])
        cache.remember(entity("E1"), size: 1, generation: before)
        #expect(cache.entity(key("E1")) == nil)
    }
}
