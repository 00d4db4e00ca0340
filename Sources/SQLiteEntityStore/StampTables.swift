import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes `version_stamps` (``VersionStamp``: the newest stamps of each entity, by version)
/// and `staged_files` (``StagedFile``). Writes run inside the caller's transaction.
enum StampTables {
    /// The tables, created by migration `v10-version-stamps`.
    static let creation = """
        CREATE TABLE version_stamps (
            collection TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            stamp TEXT NOT NULL,
            user_id TEXT,
            device TEXT NOT NULL,
            app TEXT NOT NULL,
            file_host TEXT,
            document TEXT NOT NULL,
            PRIMARY KEY (collection, entity_id, version)
        ) WITHOUT ROWID;
        CREATE TABLE staged_files (
            collection TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            stamp TEXT NOT NULL,
            user_id TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            staged_at REAL NOT NULL,
            PRIMARY KEY (collection, entity_id, stamp, user_id, path)
        ) WITHOUT ROWID;
        CREATE INDEX staged_files_by_age ON staged_files (staged_at);
        CREATE INDEX staged_files_by_file ON staged_files (sha256);
        """

    /// Stores `stamps` (replacing a stamp of the same version) and drops each entity's stamps older
    /// than the newest ``VersionStamp/kept``.
    static func store(_ stamps: [VersionStamp], db: Database) throws {
        guard !stamps.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO version_stamps"
                + " (collection, entity_id, version, stamp, user_id, device, app, file_host, document)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        let prune = try db.cachedStatement(
            sql: "DELETE FROM version_stamps WHERE collection = ? AND entity_id = ? AND version <= ?"
        )
        for stamp in stamps {
            let key = stamp.collection.storageKey
            try insert.execute(arguments: [
                key, stamp.entityID, stamp.version, stamp.stamp, stamp.userID, stamp.device, stamp.app,
                stamp.fileHost, JSON.object(stamp.values).serialized(),
            ])
            try prune.execute(arguments: [key, stamp.entityID, stamp.version - Int64(VersionStamp.kept)])
        }
    }

    /// Drops the stamps of a deleted entity.
    static func removeAll(of id: String, inStorageKey collection: String, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM version_stamps WHERE collection = ? AND entity_id = ?")
            .execute(arguments: [collection, id])
    }

    /// The newest `newest` stamps of each of `ids`, newest first: one statement per 500 ids, read in
    /// the primary key's order (no sort); only the stamps kept are decoded.
    static func stamps(of ids: [String], in collection: CollectionPath, newest: Int, db: Database) throws
        -> [String: [VersionStamp]]
    {
        var rows: [String: [Row]] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: "SELECT entity_id, version, stamp, user_id, device, app, file_host, document"
                        + " FROM version_stamps WHERE collection = ? AND entity_id IN (\(placeholders))"
                ),
                arguments: StatementArguments([collection.storageKey] + chunk)
            )
            while let row = try cursor.next() { rows[row[0], default: []].append(row.copy()) }
        }
        return try rows.mapValues { kept in
            try kept.sorted { ($0[1] as Int64) > ($1[1] as Int64) }.prefix(newest).map { row in
                VersionStamp(
                    collection: collection,
                    entityID: row[0],
                    version: row[1],
                    stamp: row[2],
                    userID: row[3],
                    device: row[4],
                    app: row[5],
                    fileHost: row[6],
                    values: try JSON(parsing: row[7] as String).objectValue ?? [:]
                )
            }
        }
    }

    static func stage(_ file: StagedFile, db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO staged_files"
                + " (collection, entity_id, stamp, user_id, path, sha256, size, staged_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            file.collection.storageKey, file.entityID, file.stamp, file.userID, file.path, file.sha256, file.size,
            file.stagedAt.timeIntervalSince1970,
        ])
    }

    static func staged(by userID: String, for id: String, in collection: CollectionPath, stamp: String, db: Database)
        throws -> [StagedFile]
    {
        let statement = try db.cachedStatement(
            sql: "SELECT path, sha256, size, staged_at FROM staged_files"
                + " WHERE collection = ? AND entity_id = ? AND stamp = ? AND user_id = ? ORDER BY path"
        )
        return try Row.fetchAll(statement, arguments: [collection.storageKey, id, stamp, userID]).map { row in
            StagedFile(
                userID: userID,
                collection: collection,
                entityID: id,
                stamp: stamp,
                path: row[0],
                sha256: row[1],
                size: row[2],
                stagedAt: Date(timeIntervalSince1970: row[3])
            )
        }
    }

    static func unstage(
        by userID: String,
        for id: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String,
        db: Database
    ) throws -> Int {
        // `path` or a path below it; `substr` rather than LIKE, whose wildcards a path may hold.
        try db.cachedStatement(
            sql: "DELETE FROM staged_files WHERE collection = ? AND entity_id = ? AND stamp = ? AND user_id = ?"
                + " AND (? = '' OR path = ? OR substr(path, 1, length(?) + 1) = ? || '/')"
        ).execute(arguments: [collection.storageKey, id, stamp, userID, path, path, path, path])
        return db.changesCount
    }

    static func prune(before date: Date, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM staged_files WHERE staged_at < ?")
            .execute(arguments: [date.timeIntervalSince1970])
    }
}
