import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes the file tables (see ``FileReferenceStore``): `file_refs`, one row per (entity,
/// file) it refers to; `file_blobs`, the reference count of each file and when it fell to zero;
/// `file_uploads`, who uploaded which file. Entity writes keep them inside their transaction, under
/// the change log's lock.
enum FileStatements {
    /// After a run of writes in `collection`: the references `removed` from the entities written (by
    /// the run's statement) give way to those `added`, and the counts of the files gained or lost change.
    static func replaceReferences(
        in collection: CollectionPath,
        removed: [String: Set<String>],
        added: [(id: String, files: Set<String>)],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !removed.isEmpty || !added.isEmpty else { return }
        var delta = FileReferenceDelta()
        var addedIDs: [String] = []
        var addedDigests: [String] = []
        for (id, files) in added {
            delta.record(removing: removed[id] ?? [], adding: files)
            for digest in files {
                addedIDs.append(id)
                addedDigests.append(digest)
            }
        }
        let addedSet = Set(added.map(\.id))
        for (id, files) in removed where !addedSet.contains(id) { delta.record(removing: files, adding: []) }
        if !addedIDs.isEmpty {
            try await connection.query(
                """
                INSERT INTO file_refs (collection, entity_id, sha256) \
                SELECT \(collection.storageKey), * FROM unnest(\(addedIDs)::text[], \(addedDigests)::text[])
                """,
                logger: logger
            )
        }
        try await count(delta, at: Date(), on: connection, logger: logger)
    }

    /// Adds each change of `delta` to its file's count; a count that reaches zero marks the file released.
    static func count(_ delta: FileReferenceDelta, at date: Date, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        guard !delta.isEmpty else { return }
        let digests = Array(delta.changes.keys)
        let changes = digests.map { Int64(delta.changes[$0] ?? 0) }
        try await connection.query(
            """
            WITH delta AS (SELECT * FROM unnest(\(digests)::text[], \(changes)::bigint[]) AS delta(sha256, change)), \
            counted AS (UPDATE file_blobs SET refs = greatest(file_blobs.refs + delta.change, 0), \
            released_at = CASE WHEN file_blobs.refs + delta.change <= 0 THEN \(date.timeIntervalSince1970) END, \
            retired_at = CASE WHEN file_blobs.refs + delta.change > 0 THEN NULL ELSE file_blobs.retired_at END \
            FROM delta WHERE file_blobs.sha256 = delta.sha256 RETURNING file_blobs.sha256) \
            INSERT INTO file_blobs (sha256, refs, released_at) \
            SELECT sha256, change, NULL FROM delta WHERE change > 0 AND sha256 NOT IN (SELECT sha256 FROM counted) \
            ON CONFLICT (sha256) DO UPDATE SET refs = file_blobs.refs + excluded.refs, released_at = NULL, \
            retired_at = NULL
            """,
            logger: logger
        )
    }

    static func recordUpload(_ sha256: String, by userID: String, at date: Date) -> PostgresQuery {
        let time = date.timeIntervalSince1970
        return """
            WITH blob AS (INSERT INTO file_blobs (sha256, refs, released_at) VALUES (\(sha256), 0, \(time)) \
            ON CONFLICT (sha256) DO UPDATE SET released_at = CASE WHEN file_blobs.refs = 0 THEN excluded.released_at END, \
            retired_at = NULL) \
            INSERT INTO file_uploads (user_id, sha256, uploaded_at) VALUES (\(userID), \(sha256), \(time)) \
            ON CONFLICT (user_id, sha256) DO UPDATE SET uploaded_at = excluded.uploaded_at
            """
    }

    static func uploaded(_ digests: [String], by userID: String) -> PostgresQuery {
        """
        SELECT u.sha256 FROM file_uploads u JOIN file_blobs b ON b.sha256 = u.sha256 \
        WHERE u.user_id = \(userID) AND u.sha256 = ANY(\(digests)::text[])
        """
    }

    static func referrers(of sha256: String, limit: Int) -> PostgresQuery {
        """
        SELECT collection, entity_id FROM file_refs WHERE sha256 = \(sha256) \
        ORDER BY collection, entity_id LIMIT \(Int64(limit))
        """
    }

    static func counts(_ digests: [String]) -> PostgresQuery {
        "SELECT sha256, refs FROM file_blobs WHERE sha256 = ANY(\(digests)::text[]) AND refs > 0"
    }

    static func retire(before date: Date, limit: Int, at now: Date) -> PostgresQuery {
        """
        WITH retired AS (UPDATE file_blobs SET retired_at = \(now.timeIntervalSince1970) WHERE sha256 IN \
        (SELECT sha256 FROM file_blobs WHERE refs = 0 AND released_at < \(date.timeIntervalSince1970) \
        AND retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM staged_files WHERE staged_files.sha256 = file_blobs.sha256) \
        LIMIT \(Int64(limit))) RETURNING sha256), \
        forgotten AS (DELETE FROM file_uploads WHERE sha256 IN (SELECT sha256 FROM retired)) \
        SELECT sha256 FROM retired
        """
    }

    static func forget(retiredBefore date: Date, limit: Int) -> PostgresQuery {
        """
        DELETE FROM file_blobs WHERE sha256 IN (SELECT sha256 FROM file_blobs WHERE refs = 0 \
        AND retired_at < \(date.timeIntervalSince1970) LIMIT \(Int64(limit))) RETURNING sha256
        """
    }

    /// The migration that retires files in two steps (``retire(before:limit:at:)``, then
    /// ``forget(retiredBefore:limit:)``).
    static let retirement = [
        "ALTER TABLE file_blobs ADD COLUMN retired_at double precision",
        "CREATE INDEX file_blobs_retired ON file_blobs (retired_at) WHERE retired_at IS NOT NULL",
    ]

    /// The migration: the tables, and the references of entities stored before it.
    static let creation = [
        """
        CREATE TABLE file_refs (
            collection text COLLATE "C" NOT NULL,
            entity_id text COLLATE "C" NOT NULL,
            sha256 text COLLATE "C" NOT NULL,
            PRIMARY KEY (collection, entity_id, sha256)
        )
        """,
        "CREATE INDEX file_refs_by_file ON file_refs (sha256, collection, entity_id)",
        """
        CREATE TABLE file_blobs (
            sha256 text COLLATE "C" PRIMARY KEY,
            refs bigint NOT NULL,
            released_at double precision
        )
        """,
        "CREATE INDEX file_blobs_released ON file_blobs (released_at) WHERE refs = 0",
        """
        CREATE TABLE file_uploads (
            user_id text COLLATE "C" NOT NULL,
            sha256 text COLLATE "C" NOT NULL,
            uploaded_at double precision NOT NULL,
            PRIMARY KEY (user_id, sha256)
        )
        """,
        "CREATE INDEX file_uploads_by_file ON file_uploads (sha256)",
        """
        INSERT INTO file_refs (collection, entity_id, sha256)
        SELECT DISTINCT e.collection, e.id, f #>> '{}'
        FROM entities e, jsonb_path_query(e."values", 'strict $.**."$file" ? (@.type() == "string")') AS f
        WHERE e.document LIKE '%"$file"%'
        """,
        "INSERT INTO file_blobs (sha256, refs, released_at) SELECT sha256, count(*), NULL FROM file_refs GROUP BY sha256",
    ]
}
