import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// Reads and writes `version_stamps` (``VersionStamp``: the newest stamps of each entity, by version)
/// and `staged_files` (``StagedFile``).
enum StampStatements {
    /// The migration.
    static let creation = [
        """
        CREATE TABLE version_stamps (
            collection text COLLATE "C" NOT NULL,
            entity_id text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            stamp text COLLATE "C" NOT NULL,
            user_id text COLLATE "C",
            device text NOT NULL,
            app text NOT NULL,
            file_host text,
            document text NOT NULL,
            PRIMARY KEY (collection, entity_id, version)
        )
        """,
        """
        CREATE TABLE staged_files (
            collection text COLLATE "C" NOT NULL,
            entity_id text COLLATE "C" NOT NULL,
            stamp text COLLATE "C" NOT NULL,
            user_id text COLLATE "C" NOT NULL,
            path text COLLATE "C" NOT NULL,
            sha256 text COLLATE "C" NOT NULL,
            size bigint NOT NULL,
            staged_at double precision NOT NULL,
            PRIMARY KEY (collection, entity_id, stamp, user_id, path)
        )
        """,
        "CREATE INDEX staged_files_by_age ON staged_files (staged_at)",
        "CREATE INDEX staged_files_by_file ON staged_files (sha256)",
    ]

    /// Stores `stamps` inside a write transaction (replacing a stamp of the same version) and drops
    /// each entity's stamps older than the newest ``VersionStamp/kept``.
    static func store(_ stamps: [VersionStamp], on connection: PostgresConnection, logger: Logger)
        async throws(StoreError)
    {
        guard !stamps.isEmpty else { return }
        let collections = stamps.map(\.collection.storageKey)
        let ids = stamps.map(\.entityID)
        let oldest = stamps.map { $0.version - Int64(VersionStamp.kept) }
        do {
            try await connection.query(
                """
                INSERT INTO version_stamps (collection, entity_id, version, stamp, user_id, device, app, file_host, \
                document) SELECT c, e, v, s, NULLIF(u, ''), d, a, NULLIF(h, ''), doc FROM unnest(\(collections)::text[], \(ids)::text[], \
                \(stamps.map(\.version))::bigint[], \(stamps.map(\.stamp))::text[], \(stamps.map { $0.userID ?? "" })::text[], \
                \(stamps.map(\.device))::text[], \(stamps.map(\.app))::text[], \(stamps.map { $0.fileHost ?? "" })::text[], \
                \(stamps.map { JSON.object($0.values).serialized() })::text[]) AS input(c, e, v, s, u, d, a, h, doc) \
                ON CONFLICT (collection, entity_id, version) DO UPDATE SET stamp = excluded.stamp, \
                user_id = excluded.user_id, device = excluded.device, app = excluded.app, file_host = excluded.file_host, \
                document = excluded.document
                """,
                logger: logger
            )
            try await connection.query(
                """
                DELETE FROM version_stamps USING unnest(\(collections)::text[], \(ids)::text[], \(oldest)::bigint[]) \
                AS old(collection, entity_id, version) WHERE version_stamps.collection = old.collection \
                AND version_stamps.entity_id = old.entity_id AND version_stamps.version <= old.version
                """,
                logger: logger
            )
        } catch {
            throw StoreError(postgres: error)
        }
    }

    /// The newest `newest` stamps of each of `ids`: one probe of the primary key per id.
    static func stamps(of ids: [String], in collection: CollectionPath, newest: Int) -> PostgresQuery {
        """
        SELECT wanted.id, kept.version, kept.stamp, kept.user_id, kept.device, kept.app, kept.file_host, \
        kept.document FROM unnest(\(Array(Set(ids)))::text[]) AS wanted(id) CROSS JOIN LATERAL \
        (SELECT version, stamp, user_id, device, app, file_host, document FROM version_stamps \
        WHERE collection = \(collection.storageKey) AND entity_id = wanted.id ORDER BY version DESC \
        LIMIT \(Int64(newest))) AS kept ORDER BY wanted.id, kept.version DESC
        """
    }

    static func decodeStamps(_ rows: [PostgresRow], in collection: CollectionPath) throws -> [String: [VersionStamp]] {
        var found: [String: [VersionStamp]] = [:]
        for row in rows {
            let (id, version, stamp, userID, device, app, fileHost, document) = try row.decode(
                (String, Int64, String, String?, String, String, String?, String).self
            )
            found[id, default: []].append(
                VersionStamp(
                    collection: collection,
                    entityID: id,
                    version: version,
                    stamp: stamp,
                    userID: userID,
                    device: device,
                    app: app,
                    fileHost: fileHost,
                    values: try JSON(parsing: document).objectValue ?? [:]
                )
            )
        }
        return found
    }

    static func stage(_ file: StagedFile) -> PostgresQuery {
        """
        INSERT INTO staged_files (collection, entity_id, stamp, user_id, path, sha256, size, staged_at) \
        VALUES (\(file.collection.storageKey), \(file.entityID), \(file.stamp), \(file.userID), \(file.path), \
        \(file.sha256), \(file.size), \(file.stagedAt.timeIntervalSince1970)) \
        ON CONFLICT (collection, entity_id, stamp, user_id, path) DO UPDATE SET sha256 = excluded.sha256, \
        size = excluded.size, staged_at = excluded.staged_at
        """
    }

    static func staged(by userID: String, for id: String, in collection: CollectionPath, stamp: String)
        -> PostgresQuery
    {
        """
        SELECT path, sha256, size, staged_at FROM staged_files WHERE collection = \(collection.storageKey) \
        AND entity_id = \(id) AND stamp = \(stamp) AND user_id = \(userID) ORDER BY path
        """
    }

    static func unstage(
        by userID: String,
        for id: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    ) -> PostgresQuery {
        """
        DELETE FROM staged_files WHERE collection = \(collection.storageKey) AND entity_id = \(id) \
        AND stamp = \(stamp) AND user_id = \(userID) \
        AND (\(path) = '' OR path = \(path) OR left(path, length(\(path)) + 1) = \(path) || '/') RETURNING 1
        """
    }

    static func prune(before date: Date) -> PostgresQuery {
        "DELETE FROM staged_files WHERE staged_at < \(date.timeIntervalSince1970)"
    }
}
