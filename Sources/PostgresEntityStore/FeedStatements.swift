import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `sync_feed`: one row per (reader, entity) with the entity's latest change for
/// that reader (see ``EntityStore/feed(of:after:limit:)``). Writes run in the caller's transaction,
/// which holds the change log's lock, beside the change-log rows they point to; those of entity writes
/// are parts of each run's ``RunLog``, these are the access changes and user removals.
enum FeedStatements {
    /// After a grant to `userID` was saved (`.upsert`) or removed (`.revoke`): logs an access change
    /// (under the change log's lock, which the caller holds) and moves the grantee's row to it.
    static func recordAccess(
        _ operation: FeedEntry.Operation,
        for userID: String,
        on id: String,
        in collection: CollectionPath,
        connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let key = collection.storageKey
        let reader = FeedReader.user(userID).storageKey
        try await connection.query(
            """
            WITH logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at) \
            SELECT COALESCE((SELECT max(sequence) FROM changes), 0) + 1, 'access', \(key), \(id), \
            COALESCE((SELECT version FROM entities WHERE collection = \(key) AND id = \(id)), 0), \
            \(StoredTimestamp.text(Date())) RETURNING sequence, version) \
            INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version) \
            SELECT \(reader), \(key), \(id), logged.sequence, \(operation.rawValue), logged.version FROM logged \
            ON CONFLICT (collection, entity_id, reader) DO UPDATE \
            SET sequence = excluded.sequence, op = excluded.op, version = excluded.version
            """,
            logger: logger
        )
    }

    /// Before a user is removed: their rows go; the entities they created, when passed to
    /// `newOwner`, reach the new owner's feed with an access change each.
    static func recordRemoval(
        ofUser id: String,
        transferringTo newOwner: String?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            "DELETE FROM sync_feed WHERE reader = \(FeedReader.user(id).storageKey)",
            logger: logger
        )
        guard let newOwner else { return }
        try await connection.query(
            """
            WITH owned AS (SELECT collection, id, version, row_number() OVER (ORDER BY collection, id) AS n \
            FROM entities WHERE created_by = \(id)), \
            base AS (SELECT COALESCE(max(sequence), 0) AS last FROM changes), \
            logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at) \
            SELECT base.last + owned.n, 'access', owned.collection, owned.id, owned.version, \
            \(StoredTimestamp.text(Date())) FROM owned, base RETURNING sequence, collection, id, version) \
            INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version) \
            SELECT \(FeedReader.user(newOwner).storageKey), collection, id, sequence, 'upsert', version FROM logged \
            ON CONFLICT (collection, entity_id, reader) DO UPDATE \
            SET sequence = excluded.sequence, op = excluded.op, version = excluded.version
            """,
            logger: logger
        )
    }

    /// The rows of `readers` after `sequence`, oldest first, at most `limit`: one statement, a range
    /// scan of `sync_feed_by_sequence` per reader.
    static func entries(of readers: [FeedReader], after sequence: Int64, limit: Int) -> PostgresQuery {
        let keys = Array(Set(readers.map(\.storageKey)))
        let limit = Int64(max(0, limit))
        return """
            SELECT feed.sequence, feed.op, feed.collection, feed.entity_id, feed.version \
            FROM unnest(\(keys)::text[]) AS readers(reader) \
            CROSS JOIN LATERAL (SELECT sequence, op, collection, entity_id, version FROM sync_feed \
            WHERE sync_feed.reader = readers.reader AND sync_feed.sequence > \(sequence) \
            ORDER BY sync_feed.sequence LIMIT \(limit)) AS feed \
            ORDER BY feed.sequence LIMIT \(limit)
            """
    }

    /// The newest sequence among the rows of `readers` (one index lookup each); 0 when they have none.
    static func head(of readers: [FeedReader]) -> PostgresQuery {
        let keys = Array(Set(readers.map(\.storageKey)))
        return """
            SELECT COALESCE(max(heads.sequence), 0)::bigint FROM unnest(\(keys)::text[]) AS readers(reader) \
            CROSS JOIN LATERAL (SELECT max(sequence) AS sequence FROM sync_feed \
            WHERE sync_feed.reader = readers.reader) AS heads
            """
    }

    static func entry(_ row: PostgresRow) throws -> FeedEntry {
        let (sequence, op, collection, id, version) = try row.decode((Int64, String, String, String, Int64).self)
        return FeedEntry(
            sequence: sequence,
            operation: FeedEntry.Operation(rawValue: op) ?? .upsert,
            collection: CollectionPath(storageKey: collection),
            id: id,
            version: version
        )
    }

    /// `schema_key(storage_key)` as SQL over the column `collection`: the namespace and every other
    /// segment (`ns:orders/O1/lines` → `ns/orders/lines`), as ``CollectionPath/schemaKey``.
    static let schemaKeyOfCollection = """
        (SELECT CASE WHEN strpos(collection, ':') > 0 THEN split_part(collection, ':', 1) || '/' ELSE '' END \
        || string_agg(part, '/' ORDER BY n) FROM unnest(string_to_array(CASE WHEN strpos(collection, ':') > 0 \
        THEN substr(collection, strpos(collection, ':') + 1) ELSE collection END, '/')) WITH ORDINALITY AS t(part, n) \
        WHERE n % 2 = 1)
        """
}
