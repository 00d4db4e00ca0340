import EntityModel
import Foundation

/// Recently read entities by collection and id, for reads by id that skip the database.
///
/// Coherent by construction: the store owns its database file, every write goes through
/// ``SQLiteEntityStore/apply(_:)``, which evicts the written entities after the commit and before
/// it returns, and a read only fills the cache if no write completed while it ran (generations).
/// Bounded by count and by bytes (the size of the stored JSON): when either bound is reached,
/// arbitrary entries make room, and an entity larger than an eighth of the byte budget is never kept.
final class EntityCache: @unchecked Sendable {
    struct Key: Hashable {
        let collection: String
        let id: String
    }

    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var entities: [Key: (entity: Entity, size: Int)] = [:]
    private var bytes = 0
    private let capacity: Int
    private let maximumBytes: Int

    init(capacity: Int, maximumBytes: Int) {
        self.capacity = max(0, capacity)
        self.maximumBytes = max(0, maximumBytes)
    }

    /// The generation to pass to ``remember(_:generation:)``; read it before reading the database.
    var currentGeneration: UInt64 {
        lock.withLock { generation }
    }

    func entity(_ key: Key) -> Entity? {
        guard capacity > 0 else { return nil }
        return lock.withLock { entities[key]?.entity }
    }

    /// Keeps an entity read in a read that began in `generation`; ignored if a write happened since.
    /// `size` is the length of its stored JSON.
    func remember(_ entity: Entity, size: Int, generation: UInt64) {
        guard capacity > 0, size <= maximumBytes / 8 else { return }
        lock.withLock {
            guard generation == self.generation else { return }
            let key = Key(collection: entity.collection.storageKey, id: entity.id)
            if let old = entities.removeValue(forKey: key) { bytes -= old.size }
            while !entities.isEmpty, entities.count >= capacity || bytes + size > maximumBytes {
                bytes -= entities.remove(at: entities.startIndex).value.size
            }
            entities[key] = (entity, size)
            bytes += size
        }
    }

    /// Forgets the entities a committed write touched.
    func evict(_ keys: [Key]) {
        lock.withLock {
            generation &+= 1
            for key in keys {
                if let old = entities.removeValue(forKey: key) { bytes -= old.size }
            }
        }
    }

    /// Forgets everything (after a failed write, whose effects are unknown to the cache).
    func evictAll() {
        lock.withLock {
            generation &+= 1
            entities.removeAll(keepingCapacity: true)
            bytes = 0
        }
    }
}
