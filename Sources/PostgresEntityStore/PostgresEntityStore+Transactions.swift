import EntityStore
import Logging
import PostgresNIO

extension PostgresEntityStore {
    /// Runs `body` on one pooled connection, inside a transaction opened by `begin` (none when nil),
    /// committed when `body` returns and rolled back when it throws.
    func transaction<T: Sendable>(
        begin: String?,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = self.logger
        let changeSignal = self.changeSignal
        return try await withConnection { connection in
            guard let begin else { return try await body(connection) }
            try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                changeSignal.signal()
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Serializes write transactions: change-log sequences are taken and committed in order, so a
    /// reader never sees a sequence before a smaller one that is still uncommitted.
    ///
    /// Every transaction that logs a change takes this lock, so it also tells the other processes on
    /// the database (`NOTIFY`, delivered at commit, coalesced within the transaction).
    ///
    /// Returns the generation of the kept totals (``KeptTotalStatements``), read under the lock in the
    /// same round trip as the notification. `notify: false` takes the lock without telling anyone: for a
    /// transaction that changes no data (keeping a new total).
    @discardableResult
    static func lockChanges(_ connection: PostgresConnection, logger: Logger, notify: Bool = true) async throws
        -> Int64
    {
        try await connection.query("LOCK TABLE changes IN EXCLUSIVE MODE", logger: logger)
        let generation: PostgresQuery =
            notify
            ? "SELECT generation FROM kept_totals_state, pg_notify(\(changeChannel), '')"
            : "SELECT generation FROM kept_totals_state"
        let rows = try await connection.query(generation, logger: logger).collect()
        return try rows.first?.decode(Int64.self) ?? 0
    }

    /// Takes the change log's lock (``lockChanges(_:logger:notify:)``) and brings ``totals`` up to date
    /// with the kept totals of every process, as a transaction that writes entities or grants must.
    func lockChangesKeepingTotals(_ connection: PostgresConnection, logger: Logger, notify: Bool = true)
        async throws
    {
        let generation = try await Self.lockChanges(connection, logger: logger, notify: notify)
        try await KeptTotalStatements.synchronize(totals, to: generation, on: connection, logger: logger)
    }

    /// The channel writes notify on.
    static let changeChannel = "entityhub_changes"

    /// Listens on one pooled connection for the writes of other processes and signals
    /// ``changeSignal`` for each; reconnects after a second when the connection is lost. Runs until
    /// the store's service stops.
    func relayChangeNotifications() async {
        let logger = self.logger
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        for try await _ in notifications { self.changeSignal.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("change notifications interrupted", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Waits until the tables are migrated and the store's state is loaded.
    func ready() async throws(StoreError) {
        try await startup.run { [self] in try await self.migrate() }
    }

    /// Creates the schema if configured, applies missing migrations, and loads the store's state.
    private func migrate() async throws {
        let schema = configuration.schema
        let logger = self.logger
        let loaded = try await transaction(begin: "BEGIN") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Migrations.lockKey))", logger: logger)
            if let schema {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS " + Self.quotedIdentifier(schema)),
                    logger: logger
                )
            }
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY)",
                logger: logger
            )
            let applied = Set(
                try await connection.query("SELECT version FROM schema_migrations", logger: logger).collect()
                    .map { try $0.decode(String.self) }
            )
            for migration in Migrations.all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version) VALUES (\(migration.version))",
                    logger: logger
                )
            }
            return try await Self.loadState(connection, logger: logger)
        }
        state.set(loaded)
    }

    static func loadState(_ connection: PostgresConnection, logger: Logger) async throws -> StoreState {
        var state = StoreState()
        for row in try await connection.query("SELECT schema_key, fields FROM search_fields", logger: logger).collect()
        {
            let (key, fields) = try row.decode((String, String).self)
            state.searchFields[key] = StoreState.decodeStrings(fields)
        }
        return state
    }

    /// `name` as a double-quoted SQL identifier.
    package static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
