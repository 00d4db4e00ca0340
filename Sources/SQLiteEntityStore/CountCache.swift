import Foundation
import GRDB

/// Exact totals of recent count queries, valid until the next write.
///
/// A filtered list answers with the exact number of matches, and counting a large match set costs
/// more than reading a page of it. Every write through the store starts a new generation and empties
/// the cache, so a cached total is always the total of the current data. That includes the writes
/// that change no entity but what a `Query.readableBy` query matches: saving or revoking a grant and
/// removing a user (with their grants). The store owns its database file (a single server process),
/// so no write can bypass the cache.
final class CountCache: @unchecked Sendable {
    struct Key: Hashable {
        let sql: String
        let arguments: [DatabaseValue]
    }

    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var totals: [Key: Int] = [:]
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The current generation; read it before the read transaction whose counts are to be cached.
    var currentGeneration: UInt64 {
        lock.withLock { generation }
    }

    func total(for key: Key, generation: UInt64) -> Int? {
        lock.withLock { generation == self.generation ? totals[key] : nil }
    }

    /// Remembers a total counted in a read that began in `generation`; ignored when a write
    /// happened since.
    func store(_ total: Int, for key: Key, generation: UInt64) {
        lock.withLock {
            guard generation == self.generation else { return }
            if totals.count >= capacity { totals.removeAll(keepingCapacity: true) }
            totals[key] = total
        }
    }

    /// Called after every write of entities or grants, committed or not.
    func invalidate() {
        lock.withLock {
            generation &+= 1
            totals.removeAll(keepingCapacity: true)
        }
    }
}
