import EntityStore

/// Exact totals of recent count queries, each tagged with the change-log position it was counted at.
///
/// Every write appends to the change log under one lock, so the last sequence number a snapshot sees
/// names exactly the writes it sees: a total counted at the same position is the total of this
/// snapshot too, whichever process counted it or wrote since. Counting a large match set costs far
/// more than reading that position. Search counts are not kept, since preparing a schema can change
/// the full-text words without a change-log row.
final class TotalCache: Sendable {
    private struct Entry: Sendable {
        let sequence: Int64
        let total: Int
    }

    private let entries = LockedValue([[SQLFragment.Piece]: Entry]())
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The total of the count whose `WHERE` clause is `key`, if it was counted at `sequence`.
    func total(for key: [SQLFragment.Piece], at sequence: Int64) -> Int? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.sequence == sequence else { return nil }
            return entry.total
        }
    }

    func store(_ total: Int, for key: [SQLFragment.Piece], at sequence: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(sequence: sequence, total: total)
        }
    }
}
