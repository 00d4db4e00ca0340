import EntityModel
import EntityStore

/// A page of the change log as one caller may see it.
public struct ChangePage: Sendable, Hashable {
    /// The entries the caller may see, oldest first.
    public let changes: [Change]
    /// The position to continue after: the last entry read from the log, seen or not.
    public let next: Int64
}

extension EntityService {
    /// Change-log entries after `sequence` that concern entities the caller may read, oldest first,
    /// at most `limit`; follow with the returned `next` position.
    ///
    /// Admins read the log itself: every write. Others read their sync feed (what
    /// ``syncChanges(after:limit:collections:as:)`` reads), so the cost follows what they may see,
    /// not the log: one entry per entity, its latest change — a write of an entity they can read
    /// now, or a `delete` when it was deleted or they lost access to it.
    public func changes(after sequence: Int64, limit: Int, as caller: Caller) async throws(EntityError)
        -> ChangePage
    {
        guard (1...configuration.maximumPageSize).contains(limit) else {
            throw EntityError(
                .invalidRequest,
                "limit: expected 1 to \(configuration.maximumPageSize), found \(limit)"
            )
        }
        guard caller.isAdmin else {
            let (changes, lastRead, _) = try await feedChanges(
                after: sequence,
                limit: limit,
                in: Set(schema.allCollections.map(\.key)),
                as: caller,
                listsTombstones: true
            )
            let log = changes.map { change in
                Change(
                    sequence: change.sequence,
                    kind: change.operation == .upsert ? .upsert : .delete,
                    collection: change.collection,
                    id: change.id,
                    version: change.version
                )
            }
            return ChangePage(changes: log, next: lastRead ?? sequence)
        }
        let read = try await storeCall { () async throws(StoreError) in
            try await store.changes(after: sequence, limit: limit)
        }
        // Access changes (grants, revocations) are the sync feed's; this log lists entity changes.
        return ChangePage(changes: read.filter { $0.kind != .access }, next: read.last?.sequence ?? sequence)
    }
}
