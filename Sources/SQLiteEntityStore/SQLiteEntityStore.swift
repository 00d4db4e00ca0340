import EntityModel
import EntityQuery
import EntityStore
import Foundation
import GRDB

/// The embedded ``EntityStore``: SQLite through GRDB, in WAL mode with parallel readers.
///
/// ```swift
/// let store = try SQLiteEntityStore(path: "data/entities.sqlite")
/// try await store.prepare(for: schema)
/// try await store.apply([.insert(entity)])
/// let page = try await store.query(Query(filter: .compare("status", .eq, .literal("open", quoted: false))),
///                                  in: CollectionPath("tickets"))
/// ```
///
/// Entities live in one table keyed by `(collection, id)`, the `collection` column holding
/// ``CollectionPath/storageKey``; values are compact JSON text written and read by EntityModel's
/// exact serializer and parser. Every write appends to the `changes` table in the same transaction.
/// Timestamps keep millisecond precision. Users, credentials, grants and the audit log have tables of
/// their own in the same database (see the ``AccessStore`` methods).
public final class SQLiteEntityStore: EntityStore {
    let writer: any DatabaseWriter
    let configuration: Configuration
    /// Search fields and indexed paths, as last set by ``prepare(for:)`` (persisted in the database).
    let state: LockedValue<StoreState>
    /// The totals kept exact write by write (``KeptTotalsTable``).
    let totals: KeptTotals<KeptCondition>
    /// Recently read entities; every write evicts what it touched.
    let cache: EntityCache
    /// Whether a read by id may run on the calling thread without waiting for a reader.
    let readers: ReaderGate
    /// Signalled after every committed write.
    public let changeSignal = ChangeSignal()
    /// ``storeIdentity()``, once read (it never changes).
    let identity = LockedValue<String?>(nil)

    /// Opens (creating if needed) the database file at `path` with a WAL `DatabasePool`, and migrates it.
    ///
    /// Durability: WAL with `synchronous = NORMAL` (the default) keeps every acknowledged commit
    /// across a crash of the process; choose ``Configuration/Durability/full`` to survive power loss too.
    public convenience init(path: String, configuration: Configuration = .init()) throws(StoreError) {
        do {
            var database = configuration.database
            database.journalMode = .wal
            let pool = try DatabasePool(path: path, configuration: database)
            try self.init(writer: pool, configuration: configuration)
        } catch {
            throw StoreError(database: error)
        }
    }

    /// A store in memory, gone when released: for tests and throw-away replicas.
    public static func inMemory(configuration: Configuration = .init()) throws(StoreError) -> SQLiteEntityStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration.database)
            return try SQLiteEntityStore(writer: queue, configuration: configuration)
        } catch {
            throw StoreError(database: error)
        }
    }

    private init(writer: any DatabaseWriter, configuration: Configuration) throws {
        try Migrations.migrator.migrate(writer)
        try writer.write(KeptTotalsTable.clear)
        self.writer = writer
        self.totals = KeptTotals(capacity: configuration.keptTotalsPerCollection)
        self.configuration = configuration
        self.cache = EntityCache(
            capacity: configuration.entityCacheSize,
            maximumBytes: configuration.entityCacheBytes
        )
        self.readers = ReaderGate(readers: writer is DatabasePool ? max(1, configuration.maximumReaderCount) : 1)
        self.state = LockedValue(try writer.read(StoreState.load))
    }

    // MARK: Reads

    public func get(_ id: String, in collection: CollectionPath) async throws(StoreError) -> Entity? {
        let key = EntityCache.Key(collection: collection.storageKey, id: id)
        if let cached = cache.entity(key) { return cached }
        let generation = cache.currentGeneration
        let depth = configuration.maximumJSONDepth
        let readRow: @Sendable (Database) throws -> (entity: Entity, size: Int)? = { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(EntityRow.columns) FROM entities WHERE collection = ? AND id = ?"
            )
            guard let row = try Row.fetchOne(statement, arguments: [key.collection, id]) else { return nil }
            return (try EntityRow.entity(row, in: collection, maximumJSONDepth: depth), EntityRow.storedSize(row))
        }
        // A point read by primary key takes microseconds: less than the two thread hops of an
        // asynchronous read, so it runs on the calling thread (one statement, no transaction
        // needed) — when a reader is free for it (see ReaderGate).
        let found: (entity: Entity, size: Int)?
        if readers.tryEnter() {
            defer { readers.leave() }
            do {
                found = try writer.unsafeReentrantRead(readRow)
            } catch {
                throw StoreError(database: error)
            }
        } else {
            found = try await read(readRow)
        }
        guard let found else { return nil }
        cache.remember(found.entity, size: found.size, generation: generation)
        return found.entity
    }

    public func query(_ query: Query, in collection: CollectionPath) async throws(StoreError) -> QueryPage {
        let plan = try QueryPlan(query, in: collection, indexedPaths: state.current.indexedPaths)
        guard !plan.isEmpty else { return QueryPage(entities: [], total: 0) }
        let depth = configuration.maximumJSONDepth
        let run = { @Sendable (source: TotalSource) async throws(StoreError) -> TotalOutcome in
            // A small page with its kept total takes less time than two thread hops.
            var quickly = false
            if case .kept(.some) = source { quickly = plan.readsFewRows }
            return try await self.read(quickly: quickly) { db in
                try plan.run(db, maximumJSONDepth: depth, totals: source)
            }
        }
        guard let condition = plan.keptCondition else { return try await run(.count).page() }
        let totals = self.totals
        let collection = collection.storageKey
        let count = plan.countSQL
        return try await totals.page(of: condition, in: collection, run: run) { () async throws(StoreError) in
            try await write { db in
                try KeptTotalsTable.keep(condition, counting: count, in: collection, totals: totals, db: db)
            }
        }
    }

    public func changes(after sequence: Int64, limit: Int) async throws(StoreError) -> [Change] {
        try await read { db in
            let statement = try db.cachedStatement(
                sql:
                    "SELECT sequence, kind, collection, id, version FROM changes WHERE sequence > ? ORDER BY sequence LIMIT ?"
            )
            return try Row.fetchAll(statement, arguments: [sequence, max(0, limit)]).map { row in
                Change(
                    sequence: row[0],
                    kind: Change.Kind(rawValue: row[1]) ?? .upsert,
                    collection: CollectionPath(storageKey: row[2]),
                    id: row[3],
                    version: row[4]
                )
            }
        }
    }

    public func storeIdentity() async throws(StoreError) -> String {
        if let known = identity.current { return known }
        let id = try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'id'") ?? ""
        }
        identity.set(id)
        return id
    }

    public func feed(of readers: [FeedReader], after sequence: Int64, limit: Int) async throws(StoreError)
        -> [FeedEntry]
    {
        try await read { db in try FeedTable.entries(of: readers, after: sequence, limit: limit, db: db) }
    }

    public func feedHead(of readers: [FeedReader]) async throws(StoreError) -> Int64 {
        guard !readers.isEmpty else { return 0 }
        return try await read { db in try FeedTable.head(of: readers, db: db) }
    }

    public func syncReceipts(userID: String, device: String, mutationIDs: [String]) async throws(StoreError)
        -> [SyncReceipt]
    {
        try await read { db in
            try SyncTables.receipts(userID: userID, device: device, mutationIDs: mutationIDs, db: db)
        }
    }

    public func syncConflicts(after id: String?, limit: Int) async throws(StoreError) -> [SyncConflict] {
        try await read { db in try SyncTables.conflicts(after: id, limit: limit, db: db) }
    }

    public func syncConflict(_ id: String) async throws(StoreError) -> SyncConflict? {
        try await read { db in try SyncTables.conflict(id, db: db) }
    }

    public func pruneSync(before date: Date) async throws(StoreError) {
        try await write { db in try SyncTables.prune(before: date, db: db) }
    }

    public func syncHorizon() async throws(StoreError) -> Int64 {
        try await read { db in try SyncTables.horizon(db) }
    }

    /// The lines of SQLite's `EXPLAIN QUERY PLAN` for the page query of `query`: a diagnostic to
    /// check which indexes a filter uses (`SEARCH entities USING INDEX …`).
    public func queryPlan(for query: Query, in collection: CollectionPath) async throws(StoreError) -> [String] {
        let plan = try QueryPlan(query, in: collection, indexedPaths: state.current.indexedPaths)
        return try await read { db in
            // EXPLAIN runs no transaction opcode, so it would not notice a schema changed by another
            // connection (a new index); reading the schema first refreshes it, as any real query does.
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
            let page = plan.pageSQL
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + page.sql, arguments: page.statementArguments)
                .map { $0["detail"] as String? ?? "" }
        }
    }

    // MARK: Writes

    @discardableResult
    public func apply(_ writes: [EntityWrite], records: WriteRecords) async throws(StoreError) -> [Int64] {
        guard !writes.isEmpty || !records.isEmpty else { return [] }
        let state = self.state
        let totals = self.totals
        do {
            let searchFields = state.current.searchFields
            let prepared = WriteBatch.prepare(writes, searchFields: searchFields)
            let sequences = try await write { db in
                var writer = WriteBatch(db: db)
                let adjustment = try KeptTotalsAdjustment(writes.writtenIDs, totals: totals, db: db)
                // `prepare(for:)` may have changed the search fields meanwhile (writes are serialized,
                // so inside the transaction the state is current).
                let current = state.current.searchFields
                let sequences = try writer.apply(
                    current == searchFields ? prepared : WriteBatch.prepare(writes, searchFields: current)
                )
                try adjustment.apply(db: db)
                if let record = records.idempotency {
                    try IdempotencyTable.insert(record, in: db, index: writes.count)
                }
                try SyncTables.store(records, index: writes.count, db: db)
                try StampTables.store(records.stamps, db: db)
                return sequences
            }
            cache.evict(writes.map(\.cacheKey))
            return sequences
        } catch {
            cache.evictAll()
            throw error
        }
    }

    public func idempotencyRecord(for key: String, notBefore: Date) async throws(StoreError)
        -> IdempotencyRecord?
    {
        try await read { db in try IdempotencyTable.record(for: key, notBefore: notBefore, in: db) }
    }

    // MARK: Boundary

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        readers.enter()
        defer { readers.leave() }
        do {
            return try await writer.read(body)
        } catch {
            throw StoreError(database: error)
        }
    }

    /// ``read(_:)``, or, when `quickly` and a reader is free (``ReaderGate``), the same in a read
    /// transaction on the calling thread: for reads that take less time than the two thread hops of an
    /// asynchronous read.
    func read<T: Sendable>(quickly: Bool, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError)
        -> T
    {
        guard quickly, readers.tryEnter() else { return try await read(body) }
        defer { readers.leave() }
        do {
            return try writer.unsafeReentrantRead { db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(.internal, "a read transaction returned nothing") }
                return result
            }
        } catch {
            throw StoreError(database: error)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            let result = try await writer.write(body)
            changeSignal.signal()
            return result
        } catch {
            throw StoreError(database: error)
        }
    }
}

extension EntityWrite {
    /// The cache entry a write makes stale.
    var cacheKey: EntityCache.Key {
        switch self {
        case .insert(let entity), .update(let entity, _):
            return EntityCache.Key(collection: entity.collection.storageKey, id: entity.id)
        case .delete(let id, let collection, _):
            return EntityCache.Key(collection: collection.storageKey, id: id)
        }
    }
}
