import EntityModel
import Foundation

/// Recently read entities by collection and id, for reads by id that skip the database.
///
/// Coherent by construction: the store owns its database file, every write goes through
/// ``SQLiteEntityStore/apply(_:)``, which evicts the written entities after the commit and before
/// it returns, and a read only fills the cache if no write completed while it ran (generations).
/// Bounded by count and by bytes (the size of the stored JSON): when either bound is reached, the
/// oldest entries make room (first in, first out), and an entity larger than an eighth of the byte
/// budget is never kept. (Removing the dictionary's first element instead, as it once did, packed the
/// entries into one end of the hash table, and every lookup compared ids along a long run of them.)
final class EntityCache: @unchecked Sendable {
    struct Key: Hashable {
        let collection: String
        let id: String
    }

    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var entities: [Key: (entity: Entity, size: Int, stamp: UInt64)] = [:]
    /// The keys in the order they were remembered, from `head` on, each with the stamp of its entry:
    /// an entry replaced or evicted since leaves a stale element, skipped when reached.
    private var order: [(key: Key, stamp: UInt64)] = []
    private var head = 0
    private var stamp: UInt64 = 0
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
                removeOldest()
            }
            stamp &+= 1
            entities[key] = (entity, size, stamp)
            order.append((key, stamp))
            bytes += size
            compactOrder()
        }
    }

    /// Removes the oldest entry still kept. Call with the lock held and the cache not empty.
    private func removeOldest() {
        while head < order.count {
            let (key, stamp) = order[head]
            head += 1
            if let kept = entities[key], kept.stamp == stamp {
                entities[key] = nil
                bytes -= kept.size
                return
            }
        }
    }

    /// Drops the order's consumed and stale elements once they outnumber the entries, so it stays
    /// within twice the capacity. Call with the lock held.
    private func compactOrder() {
        guard order.count > 2 * max(entities.count, 64) else { return }
        order = order[head...].filter { entities[$0.key]?.stamp == $0.stamp }
        head = 0
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
            order.removeAll(keepingCapacity: true)
            head = 0
            bytes = 0
        }
    }
}
