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
        migrator.registerMigration("v4-access") { db in
            // Users, their credentials, per-entity grants and the audit log. Timestamps are
            // `StoredTimestamp` text; `grants.collection` is the `CollectionPath.storageKey`, as in
            // `entities`. A `readableBy` query looks a grant up by its primary key (collection,
            // entity_id, user_name); removing a user finds theirs by `grants_by_user` and
            // `credentials_by_user`. No foreign keys: the write that deletes an entity deletes its grants.
            // No index on entities (collection, created_by): SQLite cannot use it for the
            // `created_by = ? OR EXISTS (…)` of a readableBy query, which walks the collection anyway.
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        name TEXT PRIMARY KEY,
                        password_hash TEXT,
                        is_admin INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE credentials (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        user_name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL,
                        label TEXT,
                        created_at TEXT NOT NULL,
                        expires_at TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX credentials_by_user ON credentials (user_name, kind, created_at);
                    CREATE TABLE grants (
                        collection TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        user_name TEXT NOT NULL,
                        id TEXT NOT NULL UNIQUE,
                        access_right TEXT NOT NULL,
                        granted_by TEXT,
                        granted_at TEXT NOT NULL,
                        PRIMARY KEY (collection, entity_id, user_name)
                    ) WITHOUT ROWID;
                    CREATE INDEX grants_by_user ON grants (user_name);
                    CREATE TABLE audit_log (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        action TEXT NOT NULL,
                        actor TEXT,
                        subject TEXT,
                        target TEXT,
                        detail TEXT
                    );
                    """
            )
        }
        migrator.registerMigration("v5-user-ids") { db in
            // Rights follow the account, not its name: every user gets an id that is never given to
            // another, and entities, credentials and grants refer to it. Credentials and grants of
            // users that no longer exist are dropped; entities created by such users keep the old name
            // in `created_by`, which no id equals, so only admins hold C on them.
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN id TEXT;
                    UPDATE users SET id = 'USR-' || lower(hex(randomblob(16)));
                    CREATE UNIQUE INDEX users_by_id ON users (id);
                    UPDATE entities SET created_by = (SELECT id FROM users WHERE users.name = entities.created_by)
                        WHERE created_by IN (SELECT name FROM users);
                    DELETE FROM credentials WHERE user_name NOT IN (SELECT name FROM users);
                    ALTER TABLE credentials RENAME COLUMN user_name TO user_id;
                    UPDATE credentials SET user_id = (SELECT id FROM users WHERE users.name = credentials.user_id);
                    DELETE FROM grants WHERE user_name NOT IN (SELECT name FROM users);
                    ALTER TABLE grants RENAME COLUMN user_name TO user_id;
                    UPDATE grants SET user_id = (SELECT id FROM users WHERE users.name = grants.user_id);
                    DELETE FROM idempotency_keys;
                    """
            )
        }
        migrator.registerMigration("v6-sync-feed") { db in
            // The sync feed (FeedTable): one row per (reader, entity), found by reader and sequence for
            // a pull and by entity (the primary key's prefix) for a write. `store_meta` holds the store's identity for cursors.
            try db.execute(
                sql: """
                    CREATE TABLE sync_feed (
                        reader TEXT NOT NULL,
                        collection TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        op TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        PRIMARY KEY (collection, entity_id, reader)
                    ) WITHOUT ROWID;
                    CREATE INDEX sync_feed_by_sequence ON sync_feed (reader, sequence);
                    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    INSERT INTO store_meta (key, value) VALUES ('id', lower(hex(randomblob(16))));
                    """
            )
            try FeedTable.backfill(db)
        }
        migrator.registerMigration("v7-sync-push") { db in
            // SyncTables: the answer to each pushed mutation by (user, device, mutation id), and the
            // open conflicts in id order.
            try db.execute(
                sql: """
                    CREATE TABLE sync_receipts (
                        user_id TEXT NOT NULL,
                        device TEXT NOT NULL,
                        mid TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        result TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (user_id, device, mid)
                    ) WITHOUT ROWID;
                    CREATE INDEX sync_receipts_by_age ON sync_receipts (created_at);
                    CREATE TABLE sync_conflicts (
                        id TEXT PRIMARY KEY,
                        collection TEXT NOT NULL,
                        entity_id TEXT NOT NULL,
                        key TEXT,
                        reason TEXT NOT NULL,
                        base TEXT,
                        server TEXT,
                        client TEXT,
                        user_id TEXT NOT NULL,
                        device TEXT NOT NULL,
                        created_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v8-file-references") { db in
            try db.execute(sql: FileTables.creation)
        }
        migrator.registerMigration("v9-file-retirement") { db in
            try db.execute(sql: FileTables.retirement)
        }
        migrator.registerMigration("v10-version-stamps") { db in
            try db.execute(sql: StampTables.creation)
        }
        migrator.registerMigration("v11-kept-totals") { db in
            try db.execute(sql: KeptTotalsTable.creation)
        }
        return migrator
    }
}
