/// The totals a store keeps exact write by write: which count conditions are kept, per collection,
/// in least-recently-used order, and the id of each one's row in the store's table of totals.
///
/// A kept total is a row of the database that every write transaction adjusts: before its writes the
/// transaction counts how many of the entities it is about to write match each condition kept for
/// their collection, afterwards it counts again, and adds the difference to the row. A reader reads the
/// row in the snapshot of its page, so the total is exact for that snapshot, in every process, at the
/// cost of a point read instead of a count. What this type holds is the process's knowledge of those
/// rows; the backend owns the SQL (`Condition` is its compiled, bound condition).
///
/// Bounded: at most ``capacity`` conditions per collection; keeping one more evicts the least recently
/// used. Registering a condition counts its matches under the store's write lock (so no write happens
/// between the count and the row), once however many requests ask at the same time
/// (``registering(_:in:_:)``).
///
/// Shared by the backends of this package (`package` access), not part of the public API.
package final class KeptTotals<Condition: Hashable & Sendable>: Sendable {
    /// One kept total: the id of its row, its collection (storage key) and its condition.
    package struct Entry: Sendable, Hashable {
        package let id: Int64
        package let collection: String
        package let condition: Condition

        package init(id: Int64, collection: String, condition: Condition) {
            self.id = id
            self.collection = collection
            self.condition = condition
        }
    }

    private struct Slot: Sendable {
        let entry: Entry
        var lastUse: UInt64
    }

    private struct State: Sendable {
        /// Collection (storage key) → condition → slot.
        var collections: [String: [Condition: Slot]] = [:]
        var clock: UInt64 = 0
        /// The generation of the shared table these entries were read at (PostgreSQL: other processes
        /// register totals too); `nil` until read.
        var generation: Int64?
        /// The registrations in progress and who waits for each.
        var flights: [Flight: [CheckedContinuation<Void, Never>]] = [:]
    }

    private struct Flight: Hashable, Sendable {
        let collection: String
        let condition: Condition
    }

    /// The most totals kept per collection.
    package let capacity: Int
    private let state = LockedValue(State())

    package init(capacity: Int = 32) {
        self.capacity = max(1, capacity)
    }

    /// The row id of the total kept for `condition` in `collection`, marked as just used; `nil` when
    /// none is kept.
    package func id(of condition: Condition, in collection: String) -> Int64? {
        state.withLock { state in
            guard let slot = state.collections[collection]?[condition] else { return nil }
            state.clock &+= 1
            state.collections[collection]?[condition]?.lastUse = state.clock
            return slot.entry.id
        }
    }

    /// The totals kept for `collection`, which its writes must adjust.
    package func entries(in collection: String) -> [Entry] {
        state.withLock { state in state.collections[collection].map { $0.values.map(\.entry) } ?? [] }
    }

    /// Whether any total is kept.
    package var isEmpty: Bool {
        state.withLock { state in state.collections.values.allSatisfy(\.isEmpty) }
    }

    /// The entry to evict before keeping another total in `collection`: its least recently used one when
    /// ``capacity`` are kept, else `nil`. (Entries read from the shared table and never used here come
    /// first.)
    package func evictionCandidate(in collection: String) -> Entry? {
        state.withLock { state in
            guard let slots = state.collections[collection], slots.count >= capacity else { return nil }
            return slots.values.min { ($0.lastUse, $0.entry.id) < ($1.lastUse, $1.entry.id) }?.entry
        }
    }

    /// Records a total kept in the store (its row written in the current write transaction).
    package func keep(_ entry: Entry) {
        state.withLock { state in
            state.clock &+= 1
            state.collections[entry.collection, default: [:]][entry.condition] = Slot(
                entry: entry,
                lastUse: state.clock
            )
        }
    }

    /// Forgets the total with row `id` (evicted, or its row found gone).
    package func forget(id: Int64) {
        state.withLock { state in
            for (collection, slots) in state.collections {
                if let condition = slots.first(where: { $0.value.entry.id == id })?.key {
                    state.collections[collection]?[condition] = nil
                    return
                }
            }
        }
    }

    /// Forgets every total (the store dropped them all).
    package func forgetAll(generation: Int64? = nil) {
        state.withLock { state in
            state.collections = [:]
            state.generation = generation
        }
    }

    /// The generation of the shared table the entries were read at.
    package var generation: Int64? {
        state.withLock { $0.generation }
    }

    /// Replaces the entries by those read from the shared table at `generation`, keeping the recency of
    /// the ones that stay.
    package func replace(with entries: [Entry], generation: Int64) {
        state.withLock { state in
            var collections: [String: [Condition: Slot]] = [:]
            for entry in entries {
                let lastUse = state.collections[entry.collection]?[entry.condition].map {
                    $0.entry.id == entry.id ? $0.lastUse : 0
                }
                collections[entry.collection, default: [:]][entry.condition] = Slot(
                    entry: entry,
                    lastUse: lastUse ?? 0
                )
            }
            state.collections = collections
            state.generation = generation
        }
    }

    /// Sets the generation after this process changed the shared table itself (its entries are current).
    package func advance(to generation: Int64) {
        state.withLock { $0.generation = generation }
    }

    /// Runs `register` unless a registration of the same condition is already running in this process;
    /// then waits for that one instead. Either way the caller looks the total up again afterwards (a
    /// failed registration leaves none, and the caller counts by itself).
    package func registering<Failure: Error>(
        _ condition: Condition,
        in collection: String,
        _ register: () async throws(Failure) -> Void
    ) async throws(Failure) {
        let flight = Flight(collection: collection, condition: condition)
        let leads = state.withLock { state in
            guard state.flights[flight] == nil else { return false }
            state.flights[flight] = []
            return true
        }
        guard leads else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state in
                    guard state.flights[flight] != nil else { return false }
                    state.flights[flight]?.append(continuation)
                    return true
                }
                if !waits { continuation.resume() }
            }
            return
        }
        defer {
            let waiting = state.withLock { state in state.flights.removeValue(forKey: flight) ?? [] }
            for continuation in waiting { continuation.resume() }
        }
        try await register()
    }
}
