import EntityModel
import EntityStore
import Foundation

extension EntityService {
    /// Page size of a sync pull when none is asked for, and the largest one served.
    public static let syncPageSize = (default: 500, maximum: 1000)

    /// What changed for `caller` after `cursor`: one entry per entity, its latest state, oldest first.
    ///
    /// Without a cursor the pull starts from the beginning and lists only what the caller may read
    /// (the snapshot, paged alike); with one it also lists deletions and revoked access. The cost is
    /// that of the caller's feed rows after the cursor (``EntityStore/feed(of:after:limit:)``), not
    /// of the log: a user who sees little of a busy store reads little. Each entry is decided when
    /// pulled: an entity the caller may read now is an upsert (with its values and the caller's
    /// right), one that is gone a delete, one they may no longer read a revoke.
    ///
    /// - Parameters:
    ///   - collections: the schema keys to pull (all when `nil`).
    /// - Throws: ``EntityError/Code/cursorExpired`` for a cursor of another store;
    ///   ``EntityError/Code/invalidRequest`` for a bad limit or an unknown collection.
    public func syncChanges(after cursor: SyncCursor?, limit: Int?, collections: [String]?, as caller: Caller)
        async throws(EntityError) -> SyncPage
    {
        let limit = limit ?? Self.syncPageSize.default
        guard (1...Self.syncPageSize.maximum).contains(limit) else {
            throw EntityError(.invalidRequest, "limit: expected 1 to \(Self.syncPageSize.maximum), found \(limit)")
        }
        let storeID = try await storeCall { () async throws(StoreError) in try await store.storeIdentity() }
        if let cursor, cursor.storeID != storeID {
            throw EntityError(.cursorExpired, "cursor: it names another store; pull again without a cursor")
        }
        let horizon = try await storeCall { () async throws(StoreError) in try await store.syncHorizon() }
        let isSnapshot = cursor?.isSnapshot ?? true
        if let cursor, !isSnapshot {
            if cursor.sequence < horizon {
                throw EntityError(
                    .cursorExpired,
                    "cursor: older than the sync retention (deletions before it are forgotten); pull again without a cursor"
                )
            }
        }
        let wanted = try syncCollections(collections)
        let after = cursor?.sequence ?? 0
        let (changes, lastRead, more) = try await feedChanges(
            after: after,
            limit: limit,
            in: wanted,
            as: caller,
            listsTombstones: !isSnapshot
        )
        var next = lastRead ?? after
        // A finished snapshot holds everything up to now: its cursor starts no earlier than the
        // horizon (only pruned tombstones lie before it), so that it does not expire at once.
        if isSnapshot && !more { next = max(next, horizon) }
        let cursor = SyncCursor(storeID: storeID, sequence: next, isSnapshot: isSnapshot && more)
        return SyncPage(changes: changes, cursor: cursor, more: more)
    }

    /// One page of the caller's feed after `sequence` in the collections `wanted`, decided as the
    /// caller sees it now, oldest first: one entry per entity; `lastRead`, the last feed row read
    /// (`nil`: none), and whether more rows follow.
    func feedChanges(
        after sequence: Int64,
        limit: Int,
        in wanted: Set<String>,
        as caller: Caller,
        listsTombstones: Bool
    ) async throws(EntityError) -> (changes: [SyncChange], lastRead: Int64?, more: Bool) {
        let readers = syncReaders(of: caller, in: wanted)
        let rows = try await storeCall { () async throws(StoreError) in
            try await store.feed(of: readers, after: sequence, limit: limit + 1)
        }
        let more = rows.count > limit
        let page = rows.prefix(limit).filter { wanted.contains($0.collection.schemaKey) }
        var latest: [EntityKey: FeedEntry] = [:]
        for row in page {
            let key = EntityKey(collection: row.collection, id: row.id)
            if let seen = latest[key], seen.sequence >= row.sequence { continue }
            latest[key] = row
        }
        var changes: [SyncChange] = []
        for (collection, entries) in Dictionary(grouping: latest.values, by: \.collection) {
            changes += try await decide(entries, in: collection, for: caller, listsTombstones: listsTombstones)
        }
        changes.sort { $0.sequence < $1.sequence }
        return (changes, rows.prefix(limit).last?.sequence, more)
    }

    /// The newest sequence of `caller`'s sync feed (what ``syncChanges(after:limit:collections:as:)``
    /// reads): when it passes a client's cursor, the client has something to pull.
    public func syncFeedHead(as caller: Caller) async throws(EntityError) -> Int64 {
        let readers = syncReaders(of: caller, in: Set(schema.allCollections.map(\.key)))
        return try await storeCall { () async throws(StoreError) in try await store.feedHead(of: readers) }
    }

    /// Wakes after every write committed on the store (by any process, on PostgreSQL), coalesced:
    /// what a waiting sync client listens to before it asks ``syncFeedHead(as:)``.
    public func syncSignals() -> AsyncStream<Void> {
        store.changeSignal.subscribe()
    }

    /// Forgets what only cursors older than `retention` need: feed deletions and revocations, and
    /// push receipts. A cursor from before then is answered `cursorExpired`. What the sync sweeper
    /// runs (`--sync-retention`).
    public func pruneSync(olderThan retention: Duration) async throws(EntityError) {
        let seconds = Double(retention.components.seconds) + Double(retention.components.attoseconds) * 1e-18
        let date = Date().addingTimeInterval(-seconds)
        try await storeCall { () async throws(StoreError) in try await store.pruneSync(before: date) }
    }

    /// The schema keys asked for, each checked; every declared collection when `nil`.
    private func syncCollections(_ keys: [String]?) throws(EntityError) -> Set<String> {
        let declared = Set(schema.allCollections.map(\.key))
        guard let keys else { return declared }
        for key in keys where !declared.contains(key) {
            throw EntityError(.invalidRequest, "collections: '\(key)' is not a collection")
        }
        return Set(keys)
    }

    /// The caller's own feed, and the `*` feed of each collection they read without a grant.
    private func syncReaders(of caller: Caller, in collections: Set<String>) -> [FeedReader] {
        var readers: [FeedReader] = caller.userID.map { [.user($0)] } ?? []
        for (key, declaration) in schema.allCollections where collections.contains(key) {
            if caller.isAdmin || policy(for: caller, in: declaration).defaultRight != nil {
                readers.append(.everyone(schemaKey: key))
            }
        }
        return readers
    }

    /// The entries of one collection as the caller sees them now.
    private func decide(
        _ entries: [FeedEntry],
        in collection: CollectionPath,
        for caller: Caller,
        listsTombstones: Bool
    ) async throws(EntityError) -> [SyncChange] {
        guard let declaration = schema.collection(at: collection) else { return [] }
        let stored = try await storeCall { () async throws(StoreError) in
            try await store.get(entries.map(\.id), in: collection)
        }
        let rights = try await rights(
            of: caller,
            on: stored.values,
            in: collection,
            policy: policy(for: caller, in: declaration)
        )
        return entries.compactMap { entry in
            var change = SyncChange(
                sequence: entry.sequence,
                operation: .delete,
                collection: collection,
                id: entry.id,
                version: entry.version
            )
            if let entity = stored[entry.id] {
                if let right = rights[entry.id] {
                    change.operation = .upsert
                    change.version = entity.version
                    change.entity = entity
                    change.right = right
                    return change
                }
                change.operation = .revoke
            }
            return listsTombstones ? change : nil
        }
    }
}

/// An entity's identity across collections.
struct EntityKey: Hashable {
    var collection: CollectionPath
    var id: String
}
