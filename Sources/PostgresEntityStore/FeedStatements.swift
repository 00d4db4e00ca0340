import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `sync_feed`: one row per (reader, entity) with the entity's latest change for
/// that reader (see ``EntityStore/feed(of:after:limit:)``). Writes run in the caller's transaction,
/// which holds the change log's lock, beside the change-log rows they point to.
enum FeedStatements {
    /// After the inserts or updates of `ids` (with their sequences, versions and creators) in
    /// `collection`: the rows of the readers who still read them move forward, and each entity's `*`
    /// and creator rows become upserts. Updates first move the rows of their readers (one part of a
    /// statement cannot see the rows another part changes, so this is a statement of its own); the
    /// `*` and creator rows it did not move are then written (rewriting a moved row would cost
    /// PostgreSQL a new row version each). New entities have no reader who still reads them (a deletion
    /// turned the rows of an earlier one under their id into deletions): inserts skip the first.
    static func recordUpserts(
        in collection: CollectionPath,
        ids: [String],
        sequences: [Int64],
        versions: [Int64],
        creators: [String?],
        areNew: Bool,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let key = collection.storageKey
        var moved = Set<String>()
        if !areNew {
            let rows = try await connection.query(
                """
                WITH found AS (SELECT target.row, input.sequence, input.version \
                FROM unnest(\(KeyedLookup.repeated(key, count: ids.count))::text[], \(ids)::text[], \
                \(sequences)::bigint[], \(versions)::bigint[]) AS input(collection, id, sequence, version) \
                \(unescaped: upsertRows)) \
                UPDATE sync_feed SET sequence = found.sequence, version = found.version \
                FROM found WHERE sync_feed.ctid = found.row RETURNING sync_feed.entity_id, sync_feed.reader
                """,
                logger: logger
            )
            for try await (id, reader) in rows.decode((String, String).self) { moved.insert(id + "\u{0}" + reader) }
        }
        // The `*` and creator rows the update did not move (all of them for new entities; in the common
        // case none for updates, which then skip this statement).
        let everyone = FeedReader.everyone(schemaKey: collection.schemaKey).storageKey
        var rows: (ids: [String], sequences: [Int64], versions: [Int64], readers: [String]) = ([], [], [], [])
        for index in ids.indices {
            let readers = [everyone] + (creators[index].map { [FeedReader.user($0).storageKey] } ?? [])
            for reader in readers where !moved.contains(ids[index] + "\u{0}" + reader) {
                rows.ids.append(ids[index])
                rows.sequences.append(sequences[index])
                rows.versions.append(versions[index])
                rows.readers.append(reader)
            }
        }
        guard !rows.ids.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version) \
            SELECT input.reader, \(key), input.id, input.sequence, 'upsert', input.version \
            FROM unnest(\(rows.ids)::text[], \(rows.sequences)::bigint[], \(rows.versions)::bigint[], \
            \(rows.readers)::text[]) AS input(id, sequence, version, reader) \
            ON CONFLICT (collection, entity_id, reader) DO UPDATE \
            SET sequence = excluded.sequence, op = 'upsert', version = excluded.version
            """,
            logger: logger
        )
    }

    /// The upsert rows of the entity of each `input` row (`collection`, `id`), probed (``KeyedLookup``).
    private static let upsertRows = KeyedLookup.probe(
        "sync_feed",
        where: "collection = input.collection AND entity_id = input.id AND op = 'upsert'",
        as: "target"
    )

    /// After the deletion of `ids` in `collection` at `sequences`: every reader who read one gets its
    /// deletion (the row keeps the version it had).
    static func recordDeletions(
        in collection: CollectionPath,
        ids: [String],
        sequences: [Int64],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            WITH found AS (SELECT target.row, input.sequence \
            FROM unnest(\(KeyedLookup.repeated(collection.storageKey, count: ids.count))::text[], \(ids)::text[], \
            \(sequences)::bigint[]) AS input(collection, id, sequence) \(unescaped: upsertRows)) \
            UPDATE sync_feed SET sequence = found.sequence, op = 'delete' FROM found WHERE sync_feed.ctid = found.row
            """,
            logger: logger
        )
    }

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
