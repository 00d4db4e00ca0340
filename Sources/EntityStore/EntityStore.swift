import EntityModel
import EntityQuery
import Foundation

/// A storage backend for entities: the only code that talks to a database.
///
/// Reads are plain calls; writes come as a batch applied in **one transaction**: either every write
/// of the batch is applied, each with its change-log row, or none is (the error names the item).
/// Updates and deletes carry the version they expect, so concurrent writers can never overwrite each
/// other's work unseen (compare-and-set).
///
/// Every store is also an ``AccessStore``: users, credentials, grants and the audit log live in the
/// same database, and deleting an entity deletes its grants (and its ``VersionStamp``s) in the write's
/// transaction.
///
/// Backends implement the query semantics documented on ``Filter``, ``SortKey``, ``Projection``
/// and ``Query/search`` exactly; the in-memory ``Evaluator`` is the reference.
public protocol EntityStore: AccessStore, FileReferenceStore, VersionStampStore {
    /// Creates or updates tables, indexes and full-text indexes for the collections of `schema`.
    /// Safe to call on every start.
    func prepare(for schema: Schema) async throws(StoreError)

    /// The entity with `id` in `collection`, or `nil`.
    func get(_ id: String, in collection: CollectionPath) async throws(StoreError) -> Entity?

    /// The entities of `collection` among `ids` that exist, by id: what a batch of updates or deletes
    /// reads before it is planned. One round trip where the backend can.
    func get(_ ids: [String], in collection: CollectionPath) async throws(StoreError) -> [String: Entity]

    /// One page of the entities of `collection` that match `query`, with the exact total of matches.
    /// Full-text search uses the collection's search fields as given to ``prepare(for:)`` (all
    /// top-level strings for collections the schema does not declare).
    ///
    /// The total is exact for the snapshot the page was read in, whatever other writers (in this or
    /// another process) do meanwhile. Both bundled backends keep the totals of recent filters exact write
    /// by write, so that a list under a steady trickle of writes does not count its
    /// matches again; concurrent requests for a total that is not kept yet count it once.
    func query(_ query: Query, in collection: CollectionPath) async throws(StoreError) -> QueryPage

    /// Applies `writes` atomically, in order, appending one change-log row per write, and stores
    /// `records` in the same transaction. Returns the change-log sequence number of each write.
    ///
    /// Fails with ``StoreError/Code/duplicateKey`` (and writes nothing) when an idempotency record or a
    /// sync receipt with the same key exists, and with ``StoreError/Code/notFound`` when a conflict to
    /// resolve is gone. Idempotency records older than their `createdAt` minus
    /// ``idempotencyRetention`` may be dropped.
    @discardableResult
    func apply(_ writes: [EntityWrite], records: WriteRecords) async throws(StoreError) -> [Int64]
    /// The idempotency record stored under `key`, unless it was created before `notBefore`.
    func idempotencyRecord(for key: String, notBefore: Date) async throws(StoreError) -> IdempotencyRecord?

    /// Change-log entries with a sequence number greater than `sequence`, oldest first, at most `limit`.
    func changes(after sequence: Int64, limit: Int) async throws(StoreError) -> [Change]

    /// Fails with ``StoreError/Code/unavailable`` when the database cannot serve requests now: what a
    /// readiness check asks.
    func checkAvailability() async throws(StoreError)

    /// A random id made when the store's database was created: sync cursors carry it, so that a
    /// cursor of another store is told apart.
    func storeIdentity() async throws(StoreError) -> String

    /// The sync feed rows of `readers` with a sequence greater than `sequence`, oldest first, at most
    /// `limit`. Each entity has at most one row per reader: its latest change for that reader (an
    /// upsert, its deletion, or the revocation of the reader's grant). Each reader's rows are read by
    /// a range scan, so the cost follows the rows returned, not the size of the log.
    ///
    /// Every write keeps the rows in its transaction: an upsert moves the rows of the entity's
    /// readers (``FeedReader/everyone(schemaKey:)``, its creator and its grantees); a delete turns
    /// them into deletions; saving a grant gives the grantee an upsert, removing it a revocation, each
    /// with a change-log sequence of its own (a change of kind ``Change/Kind/access``).
    func feed(of readers: [FeedReader], after sequence: Int64, limit: Int) async throws(StoreError) -> [FeedEntry]

    /// The newest change-log sequence in the sync feed of `readers` (0 when they have no rows): what
    /// tells a waiting client that its feed grew. One index lookup per reader.
    func feedHead(of readers: [FeedReader]) async throws(StoreError) -> Int64

    /// Signals after every committed write (see ``ChangeSignal``).
    var changeSignal: ChangeSignal { get }

    /// The receipts of `device` of user `userID` for the mutation ids among `mutationIDs` that have one.
    func syncReceipts(userID: String, device: String, mutationIDs: [String]) async throws(StoreError)
        -> [SyncReceipt]

    /// Open sync conflicts in id order, after `id` (from the start when `nil`), at most `limit`.
    func syncConflicts(after id: String?, limit: Int) async throws(StoreError) -> [SyncConflict]

    /// The open sync conflict `id`, or `nil`.
    func syncConflict(_ id: String) async throws(StoreError) -> SyncConflict?

    /// Drops sync receipts, and feed deletions and revocations, older than `date`: a cursor older
    /// than that can no longer be served (see ``syncHorizon()``).
    func pruneSync(before date: Date) async throws(StoreError)

    /// The change-log sequence up to which tombstones may have been pruned: a cursor at or below it
    /// may miss deletions.
    func syncHorizon() async throws(StoreError) -> Int64
}

extension EntityStore {
    /// Reads the entities one by one; backends that can read them at once override it.
    public func get(_ ids: [String], in collection: CollectionPath) async throws(StoreError) -> [String: Entity] {
        var found: [String: Entity] = [:]
        for id in Set(ids) {
            if let entity = try await get(id, in: collection) { found[id] = entity }
        }
        return found
    }

    /// An embedded store is available while its process runs.
    public func checkAvailability() async throws(StoreError) {}

    /// Applies `writes` atomically, in order, appending one change-log row per write.
    /// Returns the change-log sequence number of each write.
    @discardableResult
    public func apply(_ writes: [EntityWrite]) async throws(StoreError) -> [Int64] {
        try await apply(writes, records: WriteRecords())
    }

    /// Applies `writes` atomically and stores `record` (if any) in the same transaction; see
    /// ``apply(_:records:)``.
    @discardableResult
    public func apply(_ writes: [EntityWrite], recording record: IdempotencyRecord?) async throws(StoreError)
        -> [Int64]
    {
        try await apply(writes, records: WriteRecords(idempotency: record))
    }
}

/// How long idempotency records are kept: a retry within this time is answered from the record.
public let idempotencyRetention: TimeInterval = 24 * 60 * 60

/// One page of a query result.
public struct QueryPage: Sendable, Hashable {
    /// The entities of the page, projected if the query had a projection: then `values` hold only the
    /// selected fields.
    public var entities: [Entity]
    /// How many entities match the filter and search, regardless of the page; `nil` when the query did
    /// not ask for it (``Query/countsTotal``) and the page alone does not tell.
    public var total: Int?

    public init(entities: [Entity], total: Int?) {
        self.entities = entities
        self.total = total
    }
}

/// One write of a batch given to ``EntityStore/apply(_:)``.
public enum EntityWrite: Sendable, Hashable {
    /// Inserts a new entity; fails with ``StoreError/Code/duplicateID`` when the id exists.
    case insert(Entity)
    /// Replaces the stored entity (same collection and id) if its version is still `expectedVersion`;
    /// fails with ``StoreError/Code/versionConflict`` otherwise, or ``StoreError/Code/notFound``.
    case update(Entity, expectedVersion: Int64)
    /// Deletes the entity, and every grant on it, if its version is `expectedVersion` (any version when nil).
    case delete(id: String, collection: CollectionPath, expectedVersion: Int64?)
}

/// One row of the change log.
public struct Change: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case upsert, delete
        /// Who may read the entity changed (a grant saved or removed, an owner changed); the entity
        /// did not.
        case access
    }

    /// Strictly increasing across the whole store.
    public var sequence: Int64
    public var kind: Kind
    public var collection: CollectionPath
    public var id: String
    /// The version written (for a delete: the version the entity had).
    public var version: Int64

    public init(sequence: Int64, kind: Kind, collection: CollectionPath, id: String, version: Int64) {
        self.sequence = sequence
        self.kind = kind
        self.collection = collection
        self.id = id
        self.version = version
    }
}
