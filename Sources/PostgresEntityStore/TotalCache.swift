import EntityStore

/// Exact totals of recent count queries, each tagged with the position of the snapshot it was counted in.
///
/// Every write appends to the change log under one lock, so the last sequence number a snapshot sees
/// names exactly the writes it sees: a total counted at the same position is the total of this
/// snapshot too, whichever process counted it or wrote since. Counting a large match set costs far
/// more than reading that position. Search counts are not kept, since preparing a schema can change
/// the full-text words without a change-log row.
///
/// Grants change which entities a ``EntityQuery/Query/readableBy`` query matches without a change-log
/// row, so those totals also carry the last audit-log sequence: every grant change appends an audit
/// event in its transaction, under the audit log's own lock, so that number names exactly the grant
/// changes a snapshot sees, likewise in every process. (The reader is part of the key: it is a bound
/// value of the `WHERE` clause.)
final class TotalCache: Sendable {
    /// The last sequence numbers a snapshot has seen.
    struct Position: Sendable, Hashable {
        /// Of the change log.
        let changes: Int64
        /// Of the audit log, for counts that depend on grants; `nil` for the others.
        let audit: Int64?
    }

    private struct Entry: Sendable {
        let position: Position
        let total: Int
    }

    private let entries = LockedValue([[SQLFragment.Piece]: Entry]())
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The total of the count whose `WHERE` clause is `key`, if it was counted at `position`.
    func total(for key: [SQLFragment.Piece], at position: Position) -> Int? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.position == position else { return nil }
            return entry.total
        }
    }

    func store(_ total: Int, for key: [SQLFragment.Piece], at position: Position) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(position: position, total: total)
        }
    }
}
