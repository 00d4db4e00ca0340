import EntityModel
import EntityQuery
import EntityStore
import Logging
import PostgresNIO

extension PostgresEntityStore {
    /// Creates the expression indexes declared by `schema` (dropping those no longer declared) and
    /// records each collection's search fields, re-indexing the full text when they changed.
    ///
    /// Index scheme: one b-tree per distinct declared path, shared by every collection (the
    /// `collection` column holds storage keys, which include parent ids for nested collections):
    /// `CREATE INDEX entities_value_<hash of path> ON entities (collection,
    /// jsonb_hash_extended(("values" #> ARRAY['a','b']::text[]), 0), id)`. The index holds the 8-byte
    /// hash of the value, not the value, so values of any size can be indexed (a b-tree entry must
    /// stay under 2.7 kB). Equality filters compare the same hash and then the value; Postgres plans
    /// each statement with its bound values, so an equality (or `in`) on a declared path uses the
    /// index, and the trailing `id` serves the default order. Orderings (`lt`, `gt`) are not indexed.
    /// Each index comes with extended statistics on the hash and the value (`<index>_values`), which
    /// tell the planner that the value check after the hash keeps nearly every row.
    public func prepare(for schema: Schema) async throws(StoreError) {
        try await ready()
        var searchFields: [String: [String]] = [:]
        var wanted: [String: [String]] = [:]  // index name → path
        for (key, collection) in schema.allCollections {
            if !collection.searchFields.isEmpty { searchFields[key] = collection.searchFields }
            for dotted in collection.indexedFields {
                guard let path = FieldPath(dotted: dotted), FieldSource.isIndexable(path) else { continue }
                let keys = path.components.map(JSONB.sanitized)
                wanted[Self.indexName(keys)] = keys
            }
        }
        let state = self.state
        let logger = self.logger
        try await transaction(begin: "BEGIN") { [wanted, searchFields] connection in
            try await self.lockChangesKeepingTotals(connection, logger: logger)
            // The search fields may change what searching totals count.
            try await KeptTotalStatements.dropAll(self.totals, on: connection, logger: logger)
            var current = try await Self.loadState(connection, logger: logger)
            let existing = try await connection.query("SELECT name FROM value_indexes", logger: logger).collect()
                .map { try $0.decode(String.self) }
            for name in existing where wanted[name] == nil {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS " + Self.quotedIdentifier(name)),
                    logger: logger
                )
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DROP STATISTICS IF EXISTS " + Self.quotedIdentifier(name + "_values")),
                    logger: logger
                )
                try await connection.query("DELETE FROM value_indexes WHERE name = \(name)", logger: logger)
            }
            for (name, keys) in wanted.sorted(by: { $0.key < $1.key }) where !existing.contains(name) {
                // DDL takes no bound values: the path is written as a literal, every quote doubled.
                let literal = "ARRAY[" + keys.map(Self.quotedLiteral).joined(separator: ", ") + "]::text[]"
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "CREATE INDEX IF NOT EXISTS \(Self.quotedIdentifier(name)) ON entities "
                            + #"(collection, jsonb_hash_extended(("values" #> \#(literal)), 0), id)"#
                    ),
                    logger: logger
                )
                // The hash says nothing of how often a value occurs, so without statistics that tie the
                // value to its hash the planner takes the value check for a rare filter, and sorts
                // every match instead of reading the index in order up to the page.
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "CREATE STATISTICS IF NOT EXISTS \(Self.quotedIdentifier(name + "_values")) "
                            + #"(dependencies, mcv) ON jsonb_hash_extended(("values" #> \#(literal)), 0), "#
                            + #"("values" #> \#(literal)) FROM entities"#
                    ),
                    logger: logger
                )
                try await connection.query(
                    "INSERT INTO value_indexes (name, path) VALUES (\(name), \(StoreState.encodeStrings(keys)))",
                    logger: logger
                )
            }
            if current.searchFields != searchFields {
                try await connection.query("DELETE FROM search_fields", logger: logger)
                for (key, fields) in searchFields {
                    try await connection.query(
                        "INSERT INTO search_fields (schema_key, fields) VALUES (\(key), \(StoreState.encodeStrings(fields)))",
                        logger: logger
                    )
                }
                current.searchFields = searchFields
                try await Self.rebuildFullText(connection, state: current, logger: logger)
            }
            // Writers take the same lock: every batch after this one sees the new state.
            state.set(current)
        }
    }

    /// Recomputes every entity's full-text words.
    static func rebuildFullText(_ connection: PostgresConnection, state: StoreState, logger: Logger) async throws {
        let rows = try await connection.query("SELECT collection, id, document FROM entities", logger: logger)
            .collect()
        for row in rows {
            let (collection, id, document) = try row.decode((String, String, String).self)
            guard case .object(let values) = try JSON(parsing: document, maximumDepth: 4096) else { continue }
            let words = FullTextSearch.words(of: values, fields: state.searchFields(forStorageKey: collection))
            try await connection.query(
                """
                UPDATE entities SET search_words = array_to_tsvector(\(words)::text[]) \
                WHERE collection = \(collection) AND id = \(id)
                """,
                logger: logger
            )
        }
    }

    /// `entities_value_` and 16 hex digits of the FNV-1a hash of the index definition's version and
    /// the path (a new definition gets a new name, so `prepare` replaces old indexes).
    static func indexName(_ keys: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("pg3:" + StoreState.encodeStrings(keys)).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "entities_value_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `text` as a single-quoted SQL string literal (standard conforming strings: only quotes double).
    static func quotedLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
