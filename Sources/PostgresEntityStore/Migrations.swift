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
    ]
}
