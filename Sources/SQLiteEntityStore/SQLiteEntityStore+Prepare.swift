import EntityModel
import EntityQuery
import EntityStore
import GRDB

extension SQLiteEntityStore {
    /// Creates the expression indexes declared by `schema` (dropping those no longer declared) and
    /// records each collection's search fields, re-indexing the full text when they changed.
    ///
    /// Index scheme: one index per distinct declared path, shared by every collection (the
    /// `collection` column holds storage keys, which include parent ids for nested collections, so no
    /// per-collection partial index is possible): `CREATE INDEX entities_value_<hash of path> ON
    /// entities(collection, json_extract("values", '$."a"."b"'), id, created_by)`. Queries on a declared
    /// path inline the same JSON path text, so the planner matches the expression; the `id` serves the
    /// default order, so a filtered page reads only its own rows, and `created_by` lets a
    /// ``Query/readableBy`` page skip its offset in the index alone (no table row per skipped match).
    public func prepare(for schema: Schema) async throws(StoreError) {
        var searchFields: [String: [String]] = [:]
        var wanted: [String: [String]] = [:]  // index name → path
        for (key, collection) in schema.allCollections {
            if !collection.searchFields.isEmpty { searchFields[key] = collection.searchFields }
            for dotted in collection.indexedFields {
                guard let path = FieldPath(dotted: dotted), FieldSource.isIndexable(path),
                    let text = JSONPath.text(path.components)
                else { continue }
                wanted[Self.indexName(text)] = path.components
            }
        }
        let state = self.state
        let totals = self.totals
        try await write { [wanted, searchFields] db in
            // The search fields may change what searching totals count.
            try KeptTotalsTable.dropAll(totals: totals, db: db)
            var current = try StoreState.load(db)
            let existing = try String.fetchAll(db, sql: "SELECT name FROM value_indexes")
            for name in existing where wanted[name] == nil {
                try db.execute(sql: "DROP INDEX IF EXISTS \(name.quotedDatabaseIdentifier)")
                try db.execute(sql: "DELETE FROM value_indexes WHERE name = ?", arguments: [name])
            }
            for (name, components) in wanted.sorted(by: { $0.key < $1.key }) where !existing.contains(name) {
                guard let text = JSONPath.text(components) else { continue }
                try db.execute(
                    sql:
                        #"CREATE INDEX IF NOT EXISTS \#(name.quotedDatabaseIdentifier) ON entities(collection, json_extract("values", \#(JSONPath.quotedLiteral(text))), id, created_by)"#
                )
                try db.execute(
                    sql: "INSERT INTO value_indexes (name, path) VALUES (?, ?)",
                    arguments: [name, StoreState.encodeStrings(components)]
                )
            }
            current.indexedPaths = Set(wanted.values)
            if current.searchFields != searchFields {
                try db.execute(sql: "DELETE FROM search_fields")
                for (key, fields) in searchFields {
                    try db.execute(
                        sql: "INSERT INTO search_fields (schema_key, fields) VALUES (?, ?)",
                        arguments: [key, StoreState.encodeStrings(fields)]
                    )
                }
                current.searchFields = searchFields
                try Self.rebuildFullText(db, state: current)
            }
            // Writes are serialized: every batch after this one sees the new state.
            state.set(current)
        }
    }

    /// Recomputes every entity's full-text row.
    static func rebuildFullText(_ db: Database, state: StoreState) throws {
        try db.execute(sql: "DELETE FROM entities_fts")
        let insert = try db.makeStatement(sql: "INSERT INTO entities_fts (rowid, body) VALUES (?, ?)")
        let rows = try Row.fetchCursor(
            db,
            sql: #"SELECT rid, collection, COALESCE(exact_values, "values") FROM entities"#
        )
        while let row = try rows.next() {
            let text: String = row[2]
            guard case .object(let values) = try JSON(parsing: text, maximumDepth: 4096) else { continue }
            let body = FullTextSearch.text(of: values, fields: state.searchFields(forStorageKey: row[1]))
            if !body.isEmpty { try insert.execute(arguments: [row[0] as Int64, body]) }
        }
    }

    /// `entities_value_` and 16 hex digits of the FNV-1a hash of the index definition's version and
    /// the JSON path (a new definition gets a new name, so `prepare` replaces old indexes).
    static func indexName(_ path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("v3:" + path).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "entities_value_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension FieldSource {
    /// Whether `path` addresses the JSON values (not `id` or `_meta`), so an index on it makes sense.
    static func isIndexable(_ path: FieldPath) -> Bool {
        guard let first = path.components.first else { return false }
        return first != "id" && first != Entity.metaKey
    }
}
