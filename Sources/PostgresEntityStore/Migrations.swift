/// The versioned schema of the store's tables. Never edit a registered migration: add one.
///
/// Applied versions are recorded in `schema_migrations`; each migration runs in its own transaction
/// under an advisory lock, so several servers starting at once migrate exactly once.
enum Migrations {
    /// The key of the advisory lock taken while migrating.
    static let lockKey: Int64 = 0x456e_7469_7479_4855  // "EntityHU"

    /// `(version, statements)` in the order they apply.
    static let all: [(version: String, statements: [String])] = [
        (
            "v1",
            [
                // `document` is the exact JSON text that reads return (numbers keep their text);
                // `values` is its `jsonb` copy that filters, sorts and indexes read.
                """
                CREATE TABLE entities (
                    collection text COLLATE "C" NOT NULL,
                    id text COLLATE "C" NOT NULL,
                    document text NOT NULL,
                    "values" jsonb NOT NULL,
                    version bigint NOT NULL,
                    created_at text COLLATE "C" NOT NULL,
                    updated_at text COLLATE "C" NOT NULL,
                    created_by text COLLATE "C",
                    search_words tsvector NOT NULL DEFAULT ''::tsvector,
                    PRIMARY KEY (collection, id)
                )
                """,
                "CREATE INDEX entities_search_words ON entities USING gin (search_words)",
                """
                CREATE TABLE changes (
                    sequence bigserial PRIMARY KEY,
                    kind text NOT NULL,
                    collection text NOT NULL,
                    id text NOT NULL,
                    version bigint NOT NULL,
                    at text NOT NULL
                )
                """,
                "CREATE TABLE search_fields (schema_key text PRIMARY KEY, fields text NOT NULL)",
                "CREATE TABLE value_indexes (name text PRIMARY KEY, path text NOT NULL)",
                """
                CREATE TABLE idempotency_keys (
                    key text PRIMARY KEY,
                    fingerprint text NOT NULL,
                    collection text NOT NULL,
                    ids text NOT NULL,
                    created_at double precision NOT NULL
                )
                """,
                "CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)",
            ]
        ),
        (
            // Change-log numbers are taken as one past the last under the write lock (dense, like
            // SQLite's): a sequence object would leave a hole for every rolled-back write.
            "v2",
            [
                "ALTER TABLE changes ALTER COLUMN sequence DROP DEFAULT",
                "DROP SEQUENCE IF EXISTS changes_sequence_seq",
            ]
        ),
        (
            // Access: users, credentials, per-entity grants and the audit log (``AccessTables``).
            // Times are `double precision` seconds since 2001-01-01 UTC (Foundation's reference date),
            // which a `Date` round-trips exactly. Audit sequence numbers are taken like the change log's
            // (one past the last, under `LOCK TABLE audit_log IN EXCLUSIVE MODE`): dense and committed in
            // order, so the last one a snapshot sees names every grant change it sees.
            "v3",
            [
                """
                CREATE TABLE users (
                    name text COLLATE "C" PRIMARY KEY,
                    password_hash text,
                    is_admin boolean NOT NULL,
                    created_at double precision NOT NULL
                )
                """,
                """
                CREATE TABLE credentials (
                    id text COLLATE "C" PRIMARY KEY,
                    kind text COLLATE "C" NOT NULL,
                    user_name text COLLATE "C" NOT NULL,
                    secret_hash text NOT NULL,
                    label text,
                    created_at double precision NOT NULL,
                    expires_at double precision
                )
                """,
                "CREATE INDEX credentials_by_user ON credentials (user_name, kind, created_at)",
                // The primary key answers `Query.readableBy` (one index lookup per entity); the index by
                // user answers the same check hashed, a user's rights on a page, and removing a user.
                """
                CREATE TABLE grants (
                    collection text COLLATE "C" NOT NULL,
                    entity_id text COLLATE "C" NOT NULL,
                    user_name text COLLATE "C" NOT NULL,
                    id text COLLATE "C" NOT NULL UNIQUE,
                    right_code text COLLATE "C" NOT NULL,
                    granted_by text COLLATE "C",
                    granted_at double precision NOT NULL,
                    PRIMARY KEY (collection, entity_id, user_name)
                )
                """,
                "CREATE INDEX grants_by_user ON grants (user_name, collection, entity_id)",
                """
                CREATE TABLE audit_log (
                    sequence bigint PRIMARY KEY,
                    at double precision NOT NULL,
                    action text NOT NULL,
                    actor text,
                    subject text,
                    target text,
                    detail text
                )
                """,
            ]
        ),
        (
            // Rights follow the account, not its name: every user gets an id that is never given to
            // another, and entities, credentials and grants refer to it. Credentials and grants of users
            // that no longer exist are dropped; entities created by such users keep the old name in
            // `created_by`, which no id equals, so only admins hold C on them. Idempotency records were
            // scoped by name and can no longer match: they go.
            "v4",
            [
                "ALTER TABLE users ADD COLUMN id text COLLATE \"C\"",
                "UPDATE users SET id = 'USR-' || replace(gen_random_uuid()::text, '-', '')",
                "ALTER TABLE users ALTER COLUMN id SET NOT NULL",
                "CREATE UNIQUE INDEX users_by_id ON users (id)",
                """
                UPDATE entities SET created_by = users.id FROM users WHERE users.name = entities.created_by
                """,
                "DELETE FROM credentials WHERE user_name NOT IN (SELECT name FROM users)",
                "ALTER TABLE credentials RENAME COLUMN user_name TO user_id",
                "UPDATE credentials SET user_id = users.id FROM users WHERE users.name = credentials.user_id",
                "DELETE FROM grants WHERE user_name NOT IN (SELECT name FROM users)",
                "ALTER TABLE grants RENAME COLUMN user_name TO user_id",
                "UPDATE grants SET user_id = users.id FROM users WHERE users.name = grants.user_id",
                "DELETE FROM idempotency_keys",
            ]
        ),
        (
            // The sync feed (FeedStatements): one row per (reader, entity), found by reader and sequence
            // for a pull and by entity (the primary key's prefix) for a write, built for the entities already stored at their
            // latest change; `store_meta` holds the store's identity for cursors.
            "v5",
            [
                """
                CREATE TABLE sync_feed (
                    reader text COLLATE "C" NOT NULL,
                    collection text COLLATE "C" NOT NULL,
                    entity_id text COLLATE "C" NOT NULL,
                    sequence bigint NOT NULL,
                    op text NOT NULL,
                    version bigint NOT NULL,
                    PRIMARY KEY (collection, entity_id, reader)
                )
                """,
                "CREATE INDEX sync_feed_by_sequence ON sync_feed (reader, sequence)",
                "CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL)",
                "INSERT INTO store_meta (key, value) VALUES ('id', replace(gen_random_uuid()::text, '-', ''))",
                """
                CREATE TEMP TABLE latest_changes ON COMMIT DROP AS
                SELECT collection, id, max(sequence) AS sequence FROM changes GROUP BY collection, id
                """,
                """
                INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version)
                SELECT '*:' || \(FeedStatements.schemaKeyOfCollection), collection, id, sequence, 'upsert', version
                FROM (SELECT e.collection, e.id, e.version, COALESCE(l.sequence, 0) AS sequence
                    FROM entities e LEFT JOIN latest_changes l ON l.collection = e.collection AND l.id = e.id) AS stored
                """,
                """
                INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version)
                SELECT 'u:' || e.created_by, e.collection, e.id, COALESCE(l.sequence, 0), 'upsert', e.version
                FROM entities e LEFT JOIN latest_changes l ON l.collection = e.collection AND l.id = e.id
                WHERE e.created_by IS NOT NULL
                ON CONFLICT DO NOTHING
                """,
                """
                INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version)
                SELECT 'u:' || g.user_id, g.collection, g.entity_id, COALESCE(l.sequence, 0), 'upsert', e.version
                FROM grants g JOIN entities e ON e.collection = g.collection AND e.id = g.entity_id
                LEFT JOIN latest_changes l ON l.collection = g.collection AND l.id = g.entity_id
                ON CONFLICT DO NOTHING
                """,
            ]
        ),
        (
            "v6",
            [
                """
                CREATE TABLE sync_receipts (
                    user_id text COLLATE "C" NOT NULL,
                    device text COLLATE "C" NOT NULL,
                    mid text COLLATE "C" NOT NULL,
                    fingerprint text NOT NULL,
                    result text NOT NULL,
                    created_at double precision NOT NULL,
                    PRIMARY KEY (user_id, device, mid)
                )
                """,
                "CREATE INDEX sync_receipts_by_age ON sync_receipts (created_at)",
                """
                CREATE TABLE sync_conflicts (
                    id text COLLATE "C" PRIMARY KEY,
                    collection text NOT NULL,
                    entity_id text NOT NULL,
                    key text,
                    reason text NOT NULL,
                    base text,
                    server text,
                    client text,
                    user_id text NOT NULL,
                    device text NOT NULL,
                    created_at double precision NOT NULL
                )
                """,
            ]
        ),
        ("v7", FileStatements.creation),
        ("v8", FileStatements.retirement),
        ("v9", StampStatements.creation),
        ("v10", KeptTotalStatements.creation),
    ]
}
