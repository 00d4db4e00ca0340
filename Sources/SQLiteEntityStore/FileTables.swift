import EntityModel
import EntityStore
import Foundation
import GRDB

/// Reads and writes the file tables (see ``FileReferenceStore``): `file_refs`, one row per (entity,
/// file) it refers to; `file_blobs`, the reference count of each file and when it fell to zero;
/// `file_uploads`, who uploaded which file. Entity writes keep them inside their transaction.
enum FileTables {
    /// After an entity write: the entity's references become `new` (none for a delete), and the
    /// counts of the files it gained or lost change.
    static func replaceReferences(
        of id: String,
        inStorageKey collection: String,
        with new: Set<String>,
        isNew: Bool,
        at date: Date,
        db: Database
    ) throws {
        var old = Set<String>()
        if !isNew {
            let rows = try String.fetchAll(
                db.cachedStatement(
                    sql: "DELETE FROM file_refs WHERE collection = ? AND entity_id = ? RETURNING sha256"
                ),
                arguments: [collection, id]
            )
            old = Set(rows)
        }
        guard !old.isEmpty || !new.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT INTO file_refs (collection, entity_id, sha256) VALUES (?, ?, ?)"
        )
        for digest in new { try insert.execute(arguments: [collection, id, digest]) }
        var delta = FileReferenceDelta()
        delta.record(removing: old, adding: new)
        try count(delta, at: date, db: db)
    }

    /// Adds each change of `delta` to its file's count; a count that reaches zero marks the file released.
    static func count(_ delta: FileReferenceDelta, at date: Date, db: Database) throws {
        let released = date.timeIntervalSince1970
        let update = try db.cachedStatement(
            sql: "UPDATE file_blobs SET refs = max(refs + ?, 0), released_at = CASE WHEN refs + ? <= 0 THEN ? END,"
                + " retired_at = CASE WHEN refs + ? > 0 THEN NULL ELSE retired_at END WHERE sha256 = ?"
        )
        let insert = try db.cachedStatement(
            sql: "INSERT INTO file_blobs (sha256, refs, released_at) VALUES (?, ?, NULL)"
        )
        for (digest, change) in delta.changes {
            try update.execute(arguments: [change, change, released, change, digest])
            if db.changesCount == 0, change > 0 { try insert.execute(arguments: [digest, change]) }
        }
    }

    static func recordUpload(_ sha256: String, by userID: String, at date: Date, db: Database) throws {
        let time = date.timeIntervalSince1970
        try db.cachedStatement(
            sql: "INSERT INTO file_blobs (sha256, refs, released_at) VALUES (?, 0, ?)"
                + " ON CONFLICT (sha256) DO UPDATE SET released_at = CASE WHEN refs = 0 THEN excluded.released_at END,"
                + " retired_at = NULL"
        ).execute(arguments: [sha256, time])
        try db.cachedStatement(
            sql: "INSERT INTO file_uploads (user_id, sha256, uploaded_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, sha256) DO UPDATE SET uploaded_at = excluded.uploaded_at"
        ).execute(arguments: [userID, sha256, time])
    }

    static func uploaded(_ digests: [String], by userID: String, db: Database) throws -> Set<String> {
        var found = Set<String>()
        let statement = try db.cachedStatement(
            sql: "SELECT 1 FROM file_uploads u JOIN file_blobs b ON b.sha256 = u.sha256"
                + " WHERE u.user_id = ? AND u.sha256 = ?"
        )
        for digest in Set(digests) where try Bool.fetchOne(statement, arguments: [userID, digest]) != nil {
            found.insert(digest)
        }
        return found
    }

    static func referrers(of sha256: String, limit: Int, db: Database) throws -> [FileReferrer] {
        try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT collection, entity_id FROM file_refs WHERE sha256 = ? ORDER BY collection, entity_id LIMIT ?"
            ),
            arguments: [sha256, limit]
        ).map { FileReferrer(collection: CollectionPath(storageKey: $0[0]), id: $0[1]) }
    }

    static func recorded(_ digests: [String], db: Database) throws -> Set<String> {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM file_blobs WHERE sha256 = ?")
        return Set(try digests.filter { try Bool.fetchOne(statement, arguments: [$0]) != nil })
    }

    static func counts(_ digests: [String], db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let statement = try db.cachedStatement(sql: "SELECT refs FROM file_blobs WHERE sha256 = ?")
        for digest in Set(digests) {
            if let refs = try Int.fetchOne(statement, arguments: [digest]), refs > 0 { counts[digest] = refs }
        }
        return counts
    }

    static func retire(before date: Date, limit: Int, at now: Date, db: Database) throws -> [String] {
        let digests = try String.fetchAll(
            db.cachedStatement(
                sql: "UPDATE file_blobs SET retired_at = ? WHERE sha256 IN (SELECT sha256 FROM file_blobs"
                    + " WHERE refs = 0 AND released_at < ? AND retired_at IS NULL"
                    + " AND sha256 NOT IN (SELECT sha256 FROM staged_files) LIMIT ?) RETURNING sha256"
            ),
            arguments: [now.timeIntervalSince1970, date.timeIntervalSince1970, limit]
        )
        let uploads = try db.cachedStatement(sql: "DELETE FROM file_uploads WHERE sha256 = ?")
        for digest in digests { try uploads.execute(arguments: [digest]) }
        return digests
    }

    static func forget(retiredBefore date: Date, limit: Int, db: Database) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(
                sql: "DELETE FROM file_blobs WHERE sha256 IN (SELECT sha256 FROM file_blobs"
                    + " WHERE refs = 0 AND retired_at < ? LIMIT ?) RETURNING sha256"
            ),
            arguments: [date.timeIntervalSince1970, limit]
        )
    }

    /// The migration that retires files in two steps (``retire(before:limit:at:db:)``, then
    /// ``forget(retiredBefore:limit:db:)``).
    static let retirement = """
        ALTER TABLE file_blobs ADD COLUMN retired_at REAL;
        CREATE INDEX file_blobs_retired ON file_blobs (retired_at) WHERE retired_at IS NOT NULL;
        """

    /// The migration's SQL, and the references of entities stored before it.
    static let creation = """
        CREATE TABLE file_refs (
            collection TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (collection, entity_id, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX file_refs_by_file ON file_refs (sha256, collection, entity_id);
        CREATE TABLE file_blobs (
            sha256 TEXT PRIMARY KEY,
            refs INTEGER NOT NULL,
            released_at REAL
        ) WITHOUT ROWID;
        CREATE INDEX file_blobs_released ON file_blobs (released_at) WHERE refs = 0;
        CREATE TABLE file_uploads (
            user_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_at REAL NOT NULL,
            PRIMARY KEY (user_id, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX file_uploads_by_file ON file_uploads (sha256);
        INSERT INTO file_refs (collection, entity_id, sha256)
            SELECT DISTINCT e.collection, e.id, t.value FROM entities e, json_tree(COALESCE(e.exact_values, e."values")) t
            WHERE e."values" LIKE '%"$file"%' AND t.key = '$file' AND t.type = 'text';
        INSERT INTO file_blobs (sha256, refs, released_at) SELECT sha256, count(*), NULL FROM file_refs GROUP BY sha256;
        """
}
