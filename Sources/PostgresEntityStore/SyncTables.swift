import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `sync_receipts` (one answer per pushed mutation) and `sync_conflicts`, and prunes
/// what `--sync-retention` lets go. Writes run inside the caller's write transaction.
enum SyncTables {
    /// Stores `records`' receipts and conflicts; `index` is the position error reports give (after
    /// the writes).
    ///
    /// These are new rows that only a retry of the same push competes for (it waits for this
    /// transaction, then finds the mids taken), so the write transaction stores them before it takes
    /// the change log's lock, and writes do not wait for each other while they are written.
    static func insert(_ records: WriteRecords, index: Int, on connection: PostgresConnection, logger: Logger)
        async throws(StoreError)
    {
        do {
            if !records.receipts.isEmpty {
                let receipts = records.receipts
                try await connection.query(
                    """
                    INSERT INTO sync_receipts (user_id, device, mid, fingerprint, result, created_at) \
                    SELECT * FROM unnest(\(receipts.map(\.userID)), \(receipts.map(\.device)), \
                    \(receipts.map(\.mutationID)), \(receipts.map(\.fingerprint)), \(receipts.map(\.result)), \
                    \(receipts.map(\.createdAt.timeIntervalSince1970)))
                    """,
                    logger: logger
                )
            }
            for item in records.conflicts {
                try await connection.query(
                    """
                    INSERT INTO sync_conflicts (id, collection, entity_id, key, reason, base, server, client, \
                    user_id, device, created_at) VALUES (\(item.id), \(item.collection.storageKey), \
                    \(item.entityID), \(item.key), \(item.reason.rawValue), \(item.base?.serialized()), \
                    \(item.server?.serialized()), \(item.client?.serialized()), \(item.userID), \(item.device), \
                    \(item.createdAt.timeIntervalSince1970))
                    """,
                    logger: logger
                )
            }
        } catch {
            if StoreError.isUniqueViolation(error) {
                throw StoreError(.duplicateKey, "a mutation of the push was pushed meanwhile", index: index)
            }
            throw StoreError(postgres: error, index: index)
        }
    }

    /// Removes the conflicts `records` resolved, after the writes that resolve them; `index` is the
    /// position error reports give.
    static func removeResolved(
        _ records: WriteRecords,
        index: Int,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws(StoreError) {
        do {
            for id in records.resolvedConflicts {
                let removed = try await connection.query(
                    "DELETE FROM sync_conflicts WHERE id = \(id) RETURNING id",
                    logger: logger
                ).collect()
                guard removed.count == 1 else {
                    throw StoreError(.notFound, "conflict '\(id)' was resolved meanwhile", index: index)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(postgres: error, index: index)
        }
    }

    static func receiptsQuery(userID: String, device: String, mutationIDs: [String]) -> PostgresQuery {
        """
        SELECT found.* FROM unnest(\(KeyedLookup.repeated(userID, count: mutationIDs.count))::text[], \
        \(KeyedLookup.repeated(device, count: mutationIDs.count))::text[], \(mutationIDs)::text[]) \
        AS wanted(user_id, device, mid) \(unescaped: KeyedLookup.probe("sync_receipts",
            selecting: "mid, fingerprint, result, created_at",
            where: "user_id = wanted.user_id AND device = wanted.device AND mid = wanted.mid", as: "found"))
        """
    }

    static func receipt(userID: String, device: String, row: PostgresRow) throws -> SyncReceipt {
        let (mid, fingerprint, result, created) = try row.decode((String, String, String, Double).self)
        return SyncReceipt(
            userID: userID,
            device: device,
            mutationID: mid,
            fingerprint: fingerprint,
            result: result,
            createdAt: Date(timeIntervalSince1970: created)
        )
    }

    static func conflictsQuery(after id: String?, limit: Int) -> PostgresQuery {
        "SELECT \(unescaped: columns) FROM sync_conflicts WHERE id > \(id ?? "") ORDER BY id LIMIT \(limit)"
    }

    static func conflictQuery(_ id: String) -> PostgresQuery {
        "SELECT \(unescaped: columns) FROM sync_conflicts WHERE id = \(id)"
    }

    static func conflict(_ row: PostgresRow) throws -> SyncConflict {
        let (id, collection, entityID, key, reason, base, server, client, userID, device, created) = try row.decode(
            (String, String, String, String?, String, String?, String?, String?, String, String, Double).self
        )
        func json(_ text: String?) throws -> JSON? { try text.map { try JSON(parsing: $0) } }
        return SyncConflict(
            id: id,
            collection: CollectionPath(storageKey: collection),
            entityID: entityID,
            key: key,
            reason: SyncConflict.Reason(rawValue: reason) ?? .changed,
            base: try json(base),
            server: try json(server),
            client: try json(client),
            userID: userID,
            device: device,
            createdAt: Date(timeIntervalSince1970: created)
        )
    }

    /// Drops receipts older than `date`, and the feed's deletions and revocations logged before it;
    /// raises the horizon to the last change logged before `date`.
    static func prune(before date: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "DELETE FROM sync_receipts WHERE created_at < \(date.timeIntervalSince1970)",
            logger: logger
        )
        // Sequences grow with time: the newest change older than `date` is found from the end.
        let rows = try await connection.query(
            "SELECT sequence FROM changes WHERE at < \(StoredTimestamp.text(date)) ORDER BY sequence DESC LIMIT 1",
            logger: logger
        ).collect()
        guard let last = try rows.first?.decode(Int64.self) else { return }
        try await connection.query(
            "DELETE FROM sync_feed WHERE op <> 'upsert' AND sequence <= \(last)",
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO store_meta (key, value) VALUES ('sync_horizon', \(String(last))) \
            ON CONFLICT (key) DO UPDATE SET value = excluded.value \
            WHERE store_meta.value::bigint < excluded.value::bigint
            """,
            logger: logger
        )
    }

    static let horizonQuery: PostgresQuery = "SELECT value FROM store_meta WHERE key = 'sync_horizon'"

    private static let columns =
        "id, collection, entity_id, key, reason, base, server, client, user_id, device, created_at"
}
