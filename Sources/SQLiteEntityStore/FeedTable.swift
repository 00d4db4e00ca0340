import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes `sync_feed`: one row per (reader, entity) with the entity's latest change for
/// that reader (see ``EntityStore/feed(of:after:limit:)``). Writes run inside the caller's write
/// transaction, beside the change-log row they point to.
enum FeedTable {
    /// After an insert or update logged at `sequence`: the rows of the readers who still read the
    /// entity move to it, and the entity's `*` and creator rows become upserts. A new entity has no
    /// reader who still reads it (a deletion turned the rows of an earlier one under its id into
    /// deletions), so an insert only writes its own rows.
    static func recordUpsert(of entity: Entity, sequence: Int64, isNew: Bool, db: Database) throws {
        let collection = entity.collection.storageKey
        var moved: [String] = []
        if !isNew {
            moved = try String.fetchAll(
                db.cachedStatement(
                    sql: "UPDATE sync_feed SET sequence = ?, version = ?"
                        + " WHERE collection = ? AND entity_id = ? AND op = 'upsert' RETURNING reader"
                ),
                arguments: [sequence, entity.version, collection, entity.id]
            )
        }
        var readers = [FeedReader.everyone(schemaKey: entity.collection.schemaKey)]
        if let creator = entity.createdBy { readers.append(.user(creator)) }
        // An update has moved these rows already, in the common case: writing them again would double
        // the feed's cost of every update.
        for reader in readers where !moved.contains(reader.storageKey) {
            try put(
                reader,
                .upsert,
                collection: collection,
                id: entity.id,
                version: entity.version,
                sequence: sequence,
                db: db
            )
        }
    }

    /// After a delete logged at `sequence`: every reader who read the entity gets its deletion.
    static func recordDeletion(
        of id: String,
        inStorageKey collection: String,
        version: Int64,
        sequence: Int64,
        db: Database
    )
        throws
    {
        try db.cachedStatement(
            sql: "UPDATE sync_feed SET sequence = ?, version = ?, op = 'delete'"
                + " WHERE collection = ? AND entity_id = ? AND op = 'upsert'"
        ).execute(arguments: [sequence, version, collection, id])
    }

    /// After a grant to `userID` was saved (`.upsert`) or removed (`.revoke`): logs an access change
    /// and moves the grantee's row to it.
    static func recordAccess(
        _ operation: FeedEntry.Operation,
        for userID: String,
        on id: String,
        in collection: CollectionPath,
        db: Database
    ) throws {
        let key = collection.storageKey
        let version =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT version FROM entities WHERE collection = ? AND id = ?"),
                arguments: [key, id]
            ) ?? 0
        let sequence = try logAccess(to: id, inStorageKey: key, version: version, db: db)
        try put(.user(userID), operation, collection: key, id: id, version: version, sequence: sequence, db: db)
    }

    /// A removed user's rows go with them; entities passed to `newOwner` reach the new owner's feed.
    static func recordRemoval(ofUser id: String, transferringTo newOwner: String?, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM sync_feed WHERE reader = ?").execute(arguments: [
            FeedReader.user(id).storageKey
        ])
        guard let newOwner else { return }
        let owned = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT collection, id, version FROM entities WHERE created_by = ? ORDER BY collection, id"
            ),
            arguments: [id]
        )
        for row in owned {
            let (collection, entityID, version): (String, String, Int64) = (row[0], row[1], row[2])
            let sequence = try logAccess(to: entityID, inStorageKey: collection, version: version, db: db)
            try put(
                .user(newOwner),
                .upsert,
                collection: collection,
                id: entityID,
                version: version,
                sequence: sequence,
                db: db
            )
        }
    }

    /// The rows of `readers` after `sequence`, oldest first, at most `limit`: each reader's rows by a
    /// range scan of `sync_feed_by_sequence`, merged.
    static func entries(of readers: [FeedReader], after sequence: Int64, limit: Int, db: Database) throws
        -> [FeedEntry]
    {
        guard limit > 0 else { return [] }
        let statement = try db.cachedStatement(
            sql: "SELECT sequence, op, collection, entity_id, version FROM sync_feed"
                + " WHERE reader = ? AND sequence > ? ORDER BY sequence LIMIT ?"
        )
        var entries: [FeedEntry] = []
        for reader in Set(readers) {
            for row in try Row.fetchAll(statement, arguments: [reader.storageKey, sequence, limit]) {
                entries.append(
                    FeedEntry(
                        sequence: row[0],
                        operation: FeedEntry.Operation(rawValue: row[1]) ?? .upsert,
                        collection: CollectionPath(storageKey: row[2]),
                        id: row[3],
                        version: row[4]
                    )
                )
            }
        }
        entries.sort { $0.sequence < $1.sequence }
        return Array(entries.prefix(limit))
    }

    /// The newest sequence among the rows of `readers`; 0 when they have none.
    static func head(of readers: [FeedReader], db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT max(sequence) FROM sync_feed WHERE reader = ?")
        var head: Int64 = 0
        for reader in Set(readers) {
            head = max(head, try Int64.fetchOne(statement, arguments: [reader.storageKey]) ?? 0)
        }
        return head
    }

    private static func put(
        _ reader: FeedReader,
        _ operation: FeedEntry.Operation,
        collection: String,
        id: String,
        version: Int64,
        sequence: Int64,
        db: Database
    ) throws {
        try db.cachedStatement(
            sql:
                "INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (collection, entity_id, reader) DO UPDATE SET sequence = excluded.sequence,"
                + " op = excluded.op, version = excluded.version"
        ).execute(arguments: [reader.storageKey, collection, id, sequence, operation.rawValue, version])
    }

    private static func logAccess(to id: String, inStorageKey collection: String, version: Int64, db: Database) throws
        -> Int64
    {
        try db.cachedStatement(
            sql: "INSERT INTO changes (kind, collection, id, version, at) VALUES ('access', ?, ?, ?, ?)"
        ).execute(arguments: [collection, id, version, StoredTimestamp.text(Date())])
        return db.lastInsertedRowID
    }

    /// Builds the feed of a database made before it existed: every entity's `*`, creator and grantee
    /// rows at the entity's latest change (a migration step).
    static func backfill(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TEMP TABLE latest_changes AS
                    SELECT collection, id, max(sequence) AS sequence FROM changes GROUP BY collection, id;
                CREATE INDEX temp.latest_changes_by_entity ON latest_changes (collection, id);
                """
        )
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.collection, e.id, e.version, e.created_by, COALESCE(l.sequence, 0)
                FROM entities e LEFT JOIN latest_changes l ON l.collection = e.collection AND l.id = e.id
                """
        )
        while let row = try rows.next() {
            let collection: String = row[0]
            let (id, version, creator, sequence): (String, Int64, String?, Int64) = (row[1], row[2], row[3], row[4])
            var readers = [FeedReader.everyone(schemaKey: CollectionPath(storageKey: collection).schemaKey)]
            if let creator { readers.append(.user(creator)) }
            for reader in readers {
                try put(reader, .upsert, collection: collection, id: id, version: version, sequence: sequence, db: db)
            }
        }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO sync_feed (reader, collection, entity_id, sequence, op, version)
                    SELECT 'u:' || g.user_id, g.collection, g.entity_id, COALESCE(l.sequence, 0), 'upsert', e.version
                    FROM grants g JOIN entities e ON e.collection = g.collection AND e.id = g.entity_id
                    LEFT JOIN latest_changes l ON l.collection = g.collection AND l.id = g.entity_id;
                DROP TABLE temp.latest_changes;
                """
        )
    }
}
