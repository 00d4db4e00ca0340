import EntityModel
import Foundation

/// Recently read entities by collection and id, for reads by id that skip the database.
///
/// Coherent by construction: the store owns its database file, every write goes through
/// ``SQLiteEntityStore/apply(_:)``, which evicts the written entities after the commit and before
/// it returns, and a read only fills the cache if no write completed while it ran (generations).
/// Bounded: when full, an arbitrary entry makes room.
final class EntityCache: @unchecked Sendable {
    struct Key: Hashable {
        let collection: String
        let id: String
    }

    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var entities: [Key: Entity] = [:]
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The generation to pass to ``remember(_:generation:)``; read it before reading the database.
    var currentGeneration: UInt64 {
        lock.withLock { generation }
    }

    func entity(_ key: Key) -> Entity? {
        guard capacity > 0 else { return nil }
        return lock.withLock { entities[key] }
    }

    /// Keeps an entity read in a read that began in `generation`; ignored if a write happened since.
    func remember(_ entity: Entity, generation: UInt64) {
        guard capacity > 0 else { return }
        lock.withLock {
            guard generation == self.generation else { return }
            if entities.count >= capacity { entities.remove(at: entities.startIndex) }
            entities[Key(collection: entity.collection.storageKey, id: entity.id)] = entity
        }
    }

    /// Forgets the entities a committed write touched.
    func evict(_ keys: [Key]) {
        lock.withLock {
            generation &+= 1
            for key in keys { entities.removeValue(forKey: key) }
        }
    }

    /// Forgets everything (after a failed write, whose effects are unknown to the cache).
    func evictAll() {
        lock.withLock {
            generation &+= 1
            entities.removeAll(keepingCapacity: true)
        }
    }
}
