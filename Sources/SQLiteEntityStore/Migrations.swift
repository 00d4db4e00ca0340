import GRDB

/// The versioned schema of the store's database. Never edit a registered migration: add one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // `rid` keys the FTS rows; (collection, id) is the entity's identity. Search needs only
            // whether a token (prefix) occurs, so the full-text index keeps no positions (`detail = none`).
            try db.execute(
                sql: """
                    CREATE TABLE entities (
                        rid INTEGER PRIMARY KEY,
                        collection TEXT NOT NULL,
                        id TEXT NOT NULL,
                        "values" TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        created_by TEXT,
                        UNIQUE (collection, id)
                    );
                    CREATE TABLE changes (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        collection TEXT NOT NULL,
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        at TEXT NOT NULL
                    );
                    CREATE VIRTUAL TABLE entities_fts USING fts5(
                        body, tokenize = 'unicode61 remove_diacritics 2', detail = none
                    );
                    CREATE TABLE search_fields (
                        schema_key TEXT PRIMARY KEY,
                        fields TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE value_indexes (
                        name TEXT PRIMARY KEY,
                        path TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v2-idempotency") { db in
            // One row per write request made with an idempotency key; `ids` is a JSON array of the
            // entity ids of its answer. Rows older than the retention period are deleted as new ones come.
            try db.execute(
                sql: """
                    CREATE TABLE idempotency_keys (
                        key TEXT PRIMARY KEY,
                        fingerprint TEXT NOT NULL,
                        collection TEXT NOT NULL,
                        ids TEXT NOT NULL,
                        created_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
                    """
            )
        }
        migrator.registerMigration("v3-exact-values") { db in
            // `values` is what filters read; where it had to differ from the exact values (U+0000 in a
            // string, see QueryCopy), `exact_values` holds them, and reads return it.
            try db.execute(sql: "ALTER TABLE entities ADD COLUMN exact_values TEXT")
        }
        return migrator
    }
}
