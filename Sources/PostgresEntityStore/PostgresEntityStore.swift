import EntityModel
import EntityQuery
import EntityStore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The scale-out ``EntityStore``: PostgreSQL 15 or later through postgres-nio's `PostgresClient`.
///
/// ```swift
/// let store = try PostgresEntityStore(url: "postgres://entityhub:secret@db.local:5432/entityhub")
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await store.run() }  // or add the store to a ServiceGroup
///     try await store.prepare(for: schema)
///     try await store.apply([.insert(entity)])
/// }
/// ```
///
/// Entities live in one table keyed by `(collection, id)`, the `collection` column holding
/// ``CollectionPath/storageKey``. Each row keeps the exact JSON text of the values (`document`, what
/// reads return: numbers keep their text) and a `jsonb` copy (`values`) that filters, sorts and
/// declared indexes read, plus a `tsvector` of the normalized full-text words. Every write appends
/// to `changes` in the same transaction; write transactions take an exclusive lock on `changes`, so
/// sequence numbers are dense and become visible to readers strictly in order, whichever process
/// wrote them. The totals of filtered lists are kept in a table that every write transaction adjusts
/// under that lock (``KeptTotals``), so they are exact across processes without counting again.
/// A run of inserts is one statement. Timestamps keep millisecond precision. The tables are created
/// and migrated on first use.
///
/// Users, credentials, per-entity grants and the audit log have tables of their own (``AccessStore``).
/// Every audited change appends its event in its transaction under an exclusive lock on `audit_log`,
/// numbered like the change log (dense, visible in order); deleting entities deletes their grants in
/// the same statement. A ``EntityQuery/Query/readableBy`` query checks the grants in SQL (an index
/// lookup); grants and revocations adjust the kept totals of their collection like entity writes.
///
/// Several stores (in several processes) may share one database: nothing is cached that another
/// process's write could make stale.
///
/// Limits, beyond those of ``EntityStore``:
/// - Needs PostgreSQL 15+ built with ICU (the `und-x-icu` collation lowercases `ilike` text as
///   Swift does).
/// - `jsonb` holds no U+0000: filters see it as U+FFFD (in stored values and query values alike);
///   reads return the exact text. Numbers beyond `numeric`'s range (from 1e131072, or digits past
///   1e-16383) are stored exactly, but filters and sorts see them clamped into that range (as
///   SQLite sees them as the nearest double).
/// - Full-text words are cut to 2046 bytes, and words past 1 MB per entity are not indexed.
/// - While the server is unreachable, calls fail with ``StoreError/Code/unavailable`` after
///   ``Configuration/connectionWaitTimeout``; the pool reconnects by itself once it is back.
public final class PostgresEntityStore: EntityStore, Service {
    let client: PostgresClient
    /// The options the store was made with.
    public let configuration: Configuration
    let logger: Logger
    /// Search fields as last set by ``prepare(for:)`` (persisted in the database).
    let state = LockedValue(StoreState())
    let startup = StartupGate()
    /// The totals kept exact write by write (``KeptTotalStatements``), as this process knows them.
    let totals: KeptTotals<KeptCondition>
    /// Fails calls that wait too long for a connection (see ``Configuration/connectionWaitTimeout``).
    let watchdog = LeaseWatchdog()
    /// Signalled after every write committed on the database, by any process (LISTEN/NOTIFY).
    public let changeSignal = ChangeSignal()
    /// ``storeIdentity()``, once read (it never changes).
    let identity = LockedValue<String?>(nil)

    /// A store on the database that `client` connects to. ``run()`` runs the client.
    ///
    /// - Parameters:
    ///   - configuration: the client's configuration; ``Configuration/schema`` sets its `search_path`.
    ///     Its sessions run without JIT compilation.
    ///   - logger: where queries and background events of the client are logged.
    public init(
        client clientConfiguration: PostgresClient.Configuration,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "PostgresEntityStore")
    ) {
        var clientConfiguration = clientConfiguration
        // No JIT compilation: it starts when a statement's estimated cost is high, and a long filter
        // (RQL, OData, NGSI-LD) compiles to so much code that LLVM can work for minutes, without
        // heeding a cancellation, to save milliseconds of a statement that reads by index.
        clientConfiguration.options.additionalStartupParameters.append(("jit", "off"))
        if let schema = configuration.schema {
            clientConfiguration.options.additionalStartupParameters.append(("search_path", schema))
        }
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.configuration = configuration
        self.logger = logger
        self.totals = KeptTotals(capacity: configuration.keptTotalsPerCollection)
    }

    /// A store on the database of a `postgres://user:password@host:port/database` URL.
    ///
    /// TLS is not used unless the URL says `?sslmode=require` (with the system's trust roots) —
    /// give a `PostgresClient.Configuration` to ``init(client:configuration:logger:)`` for anything else.
    public convenience init(
        url: String,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "PostgresEntityStore")
    ) throws(StoreError) {
        self.init(client: try Self.clientConfiguration(url: url), configuration: configuration, logger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down. Every
    /// other method waits for connections that only this provides.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchdog.run() }
            group.addTask { await self.relayChangeNotifications() }
            await client.run()
            group.cancelAll()
        }
    }

    // MARK: Reads

    public func get(_ id: String, in collection: CollectionPath) async throws(StoreError) -> Entity? {
        try await ready()
        let depth = configuration.maximumJSONDepth
        let logger = self.logger
        let statement = EntityByID(collection: collection.storageKey, id: JSONB.sanitized(id))
        let found = try await withConnection { connection in
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }
        guard let row = found.first else { return nil }
        return try EntityRow.entity(row, in: collection, maximumJSONDepth: depth)
    }

    public func get(_ ids: [String], in collection: CollectionPath) async throws(StoreError) -> [String: Entity] {
        guard !ids.isEmpty else { return [:] }
        try await ready()
        let depth = configuration.maximumJSONDepth
        let rows = try await rows(
            """
            SELECT found.* FROM unnest(\(KeyedLookup.repeated(collection.storageKey, count: ids.count))::text[], \
            \(ids.map(JSONB.sanitized))::text[]) AS wanted(collection, id) \
            \(unescaped: KeyedLookup.probe("entities", selecting: EntityRow.columns,
                where: "collection = wanted.collection AND id = wanted.id", as: "found"))
            """
        )
        var found: [String: Entity] = [:]
        for row in rows {
            let entity = try EntityRow.entity(row, in: collection, maximumJSONDepth: depth)
            found[entity.id] = entity
        }
        return found
    }

    public func query(_ query: Query, in collection: CollectionPath) async throws(StoreError) -> QueryPage {
        try await ready()
        let plan = QueryPlan(query, in: collection)
        guard !plan.isEmpty else { return QueryPage(entities: [], total: 0) }
        let run = { @Sendable (source: TotalSource) async throws(StoreError) -> TotalOutcome in
            try await self.run(plan, totals: source)
        }
        guard let condition = plan.keptCondition else { return try await run(.count).page() }
        let totals = self.totals
        let logger = self.logger
        let collection = collection.storageKey
        let count = plan.countSQL
        return try await totals.page(of: condition, in: collection, run: run) { () async throws(StoreError) in
            try await transaction(begin: "BEGIN") { connection in
                // Keeping a total changes no data: other processes' listeners need not wake.
                try await self.lockChangesKeepingTotals(connection, logger: logger, notify: false)
                try await KeptTotalStatements.keep(
                    condition,
                    counting: count,
                    in: collection,
                    totals: totals,
                    on: connection,
                    logger: logger
                )
            }
        }
    }

    /// Runs `plan`; page and total read one snapshot (one statement for a kept total, else a transaction).
    private func run(_ plan: QueryPlan, totals: TotalSource) async throws(StoreError) -> TotalOutcome {
        let depth = configuration.maximumJSONDepth
        let logger = self.logger
        var inOneStatement = false
        if case .kept = totals { inOneStatement = true }
        let begin = plan.mayCount && !inOneStatement ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : nil
        return try await transaction(begin: begin) { connection in
            try await plan.run(on: connection, logger: logger, maximumJSONDepth: depth, totals: totals)
        }
    }

    public func changes(after sequence: Int64, limit: Int) async throws(StoreError) -> [Change] {
        try await ready()
        let rows = try await rows(
            """
            SELECT sequence, kind, collection, id, version FROM changes \
            WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(max(0, limit)))
            """
        )
        do {
            return try rows.map { row in
                let (sequence, kind, collection, id, version) = try row.decode(
                    (Int64, String, String, String, Int64).self
                )
                return Change(
                    sequence: sequence,
                    kind: Change.Kind(rawValue: kind) ?? .upsert,
                    collection: CollectionPath(storageKey: collection),
                    id: id,
                    version: version
                )
            }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    public func storeIdentity() async throws(StoreError) -> String {
        if let known = identity.current { return known }
        try await ready()
        let rows = try await rows("SELECT value FROM store_meta WHERE key = 'id'")
        let id: String
        do { id = try rows.first?.decode(String.self) ?? "" } catch { throw StoreError(postgres: error) }
        identity.set(id)
        return id
    }

    public func feed(of readers: [FeedReader], after sequence: Int64, limit: Int) async throws(StoreError)
        -> [FeedEntry]
    {
        guard limit > 0, !readers.isEmpty else { return [] }
        try await ready()
        let rows = try await rows(FeedStatements.entries(of: readers, after: sequence, limit: limit))
        do { return try rows.map(FeedStatements.entry) } catch { throw StoreError(postgres: error) }
    }

    public func feedHead(of readers: [FeedReader]) async throws(StoreError) -> Int64 {
        guard !readers.isEmpty else { return 0 }
        try await ready()
        let rows = try await rows(FeedStatements.head(of: readers))
        do { return try rows.first?.decode(Int64.self) ?? 0 } catch { throw StoreError(postgres: error) }
    }

    public func syncReceipts(userID: String, device: String, mutationIDs: [String]) async throws(StoreError)
        -> [SyncReceipt]
    {
        guard !mutationIDs.isEmpty else { return [] }
        try await ready()
        let rows = try await rows(SyncTables.receiptsQuery(userID: userID, device: device, mutationIDs: mutationIDs))
        do {
            return try rows.map { row in try SyncTables.receipt(userID: userID, device: device, row: row) }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    public func syncConflicts(after id: String?, limit: Int) async throws(StoreError) -> [SyncConflict] {
        try await ready()
        let rows = try await rows(SyncTables.conflictsQuery(after: id, limit: limit))
        do { return try rows.map(SyncTables.conflict) } catch { throw StoreError(postgres: error) }
    }

    public func syncConflict(_ id: String) async throws(StoreError) -> SyncConflict? {
        try await ready()
        let rows = try await rows(SyncTables.conflictQuery(id))
        do { return try rows.first.map(SyncTables.conflict) } catch { throw StoreError(postgres: error) }
    }

    public func pruneSync(before date: Date) async throws(StoreError) {
        try await ready()
        let logger = self.logger
        try await transaction(begin: "BEGIN") { connection in
            try await SyncTables.prune(before: date, on: connection, logger: logger)
        }
    }

    public func syncHorizon() async throws(StoreError) -> Int64 {
        try await ready()
        let rows = try await rows(SyncTables.horizonQuery)
        do { return try rows.first.flatMap { Int64(try $0.decode(String.self)) } ?? 0 } catch {
            throw StoreError(postgres: error)
        }
    }

    /// Runs `SELECT 1` on a pooled connection: fails with ``StoreError/Code/unavailable`` within
    /// ``Configuration/connectionWaitTimeout`` while PostgreSQL cannot be reached.
    public func checkAvailability() async throws(StoreError) {
        try await ready()
        _ = try await rows("SELECT 1")
    }

    /// The lines of Postgres's `EXPLAIN` for the page query of `query`: a diagnostic to check which
    /// indexes a filter uses (`Index Scan using entities_value_…`).
    public func queryPlan(for query: Query, in collection: CollectionPath) async throws(StoreError) -> [String] {
        try await ready()
        return try await explain(QueryPlan(query, in: collection).pageSQL.query)
    }

    /// The plans (`EXPLAIN`; nothing is written) of the statements that ``apply(_:records:)`` would
    /// run for `writes`, as ``queryPlan(for:in:)`` for queries: each run's entity statement and, for
    /// inserts and updates, its change-log and feed statement. For tests and diagnosis.
    public func writePlans(for writes: [EntityWrite]) async throws(StoreError) -> [[String]] {
        try await ready()
        var plans: [[String]] = []
        for run in WriteBatch.runs(WriteBatch.prepare(writes, state: state.current)) {
            for statement in run.builtStatements { plans.append(try await explain(statement)) }
        }
        return plans
    }

    /// The lines of Postgres's `EXPLAIN` for `statement` (which it plans, and does not run).
    private func explain(_ statement: PostgresQuery) async throws(StoreError) -> [String] {
        let rows = try await rows(PostgresQuery(unsafeSQL: "EXPLAIN " + statement.sql, binds: statement.binds))
        do {
            return try rows.map { try $0.decode(String.self) }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    // MARK: Writes

    @discardableResult
    public func apply(_ writes: [EntityWrite], records: WriteRecords) async throws(StoreError) -> [Int64] {
        guard !writes.isEmpty || !records.isEmpty else { return [] }
        try await ready()
        let state = self.state
        let logger = self.logger
        let known = state.current
        let runs = WriteBatch.runs(WriteBatch.prepare(writes, state: known))
        let totals = self.totals
        return try await transaction(begin: "BEGIN") { connection in
            try await SyncTables.insert(records, index: writes.count, on: connection, logger: logger)
            try await self.lockChangesKeepingTotals(connection, logger: logger)
            let adjustment = try await KeptTotalsAdjustment(
                writes.writtenIDs,
                totals: totals,
                on: connection,
                logger: logger
            )
            // `prepare(for:)` takes the same lock, so inside it the search fields are current.
            let current = state.current
            let batch = WriteBatch(connection: connection, logger: logger)
            let sequences = try await batch.apply(
                current == known ? runs : WriteBatch.runs(WriteBatch.prepare(writes, state: current))
            )
            try await adjustment.apply(on: connection, logger: logger)
            try await StampStatements.store(records.stamps, on: connection, logger: logger)
            if let record = records.idempotency {
                try await IdempotencyTable.insert(record, on: connection, logger: logger, index: writes.count)
            }
            try await SyncTables.removeResolved(records, index: writes.count, on: connection, logger: logger)
            return sequences
        }
    }

    public func idempotencyRecord(for key: String, notBefore: Date) async throws(StoreError)
        -> IdempotencyRecord?
    {
        try await ready()
        let rows = try await rows(IdempotencyTable.recordQuery(for: key, notBefore: notBefore))
        return try IdempotencyTable.record(for: key, from: rows)
    }
}
