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
    /// Change-log entries after `sequence` that concern entities the caller may read, oldest first:
    /// at most `limit` entries are read from the log, so a page can hold fewer (follow with the
    /// returned `next` position).
    ///
    /// Admins see every entry. Others see writes of entities they can read now, and deletions in
    /// collections whose defaults let them read (a deleted entity's grants are gone with it).
    public func changes(after sequence: Int64, limit: Int, as caller: Caller) async throws(EntityError)
        -> ChangePage
    {
        guard (1...configuration.maximumPageSize).contains(limit) else {
            throw EntityError(
                .invalidRequest,
                "limit: expected 1 to \(configuration.maximumPageSize), found \(limit)"
            )
        }
        let read = try await storeCall { () async throws(StoreError) in
            try await store.changes(after: sequence, limit: limit)
        }
        let next = read.last?.sequence ?? sequence
        // Access changes (grants, revocations) are the sync feed's; this log lists entity changes.
        let log = read.filter { $0.kind != .access }
        guard !caller.isAdmin else { return ChangePage(changes: log, next: next) }
        var visible: Set<Int64> = []
        for (collection, entries) in Dictionary(grouping: log, by: \.collection) {
            guard let declaration = schema.collection(at: collection) else { continue }
            let policy = policy(for: caller, in: declaration)
            let deletesVisible = policy.defaultRight != nil
            let upserts = entries.filter { $0.kind == .upsert }
            let entities = try await storeCall { () async throws(StoreError) in
                try await store.get(upserts.map(\.id), in: collection)
            }
            let rights = try await rights(of: caller, on: entities.values, in: collection, policy: policy)
            for entry in entries where entry.kind == .upsert ? rights[entry.id] != nil : deletesVisible {
                visible.insert(entry.sequence)
            }
        }
        return ChangePage(changes: log.filter { visible.contains($0.sequence) }, next: next)
    }
}
