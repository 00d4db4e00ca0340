import EntityModel
import EntityQuery
import EntityStore
import Foundation
import Logging

/// The only door to data: every protocol adapter reads and writes entities through it.
///
/// It decides who may do what (see ``AccessPolicy``: every read, list, count and write is checked
/// here, so every protocol adapter enforces the same rights), resolves collections against the
/// ``Schema``, validates values, assigns ids, versions and
/// timestamps, types and checks queries, runs batches all-or-nothing and runs declarative actions.
///
/// ```swift
/// let service = try EntityService(store: store, schema: schema)
/// let product = try await service.create(["name": "Widget", "price": 19.99], in: CollectionPath("products"), as: caller)
/// ```
public struct EntityService: Sendable {
    /// Limits and defaults of the service.
    public struct Configuration: Sendable {
        /// Page size when a list request gives none. Default 100.
        public var defaultPageSize: Int
        /// Largest page a list request may ask for; larger requests are refused, never capped. Default 1000.
        public var maximumPageSize: Int
        /// Most items in one batch (bulk create, update or delete). Default 10,000.
        public var maximumBatchSize: Int
        /// How often a write without an expected version is retried after a concurrent change
        /// (each retry re-reads the entity, so no update is lost). Default 100.
        public var conflictRetries: Int
        /// Settings of sign-in: password hashing, session lifetime, credential caching, login throttling.
        public var accounts: Accounts.Configuration

        public init(
            defaultPageSize: Int = 100,
            maximumPageSize: Int = 1000,
            maximumBatchSize: Int = 10_000,
            conflictRetries: Int = 100,
            accounts: Accounts.Configuration = .init()
        ) {
            self.defaultPageSize = defaultPageSize
            self.maximumPageSize = maximumPageSize
            self.maximumBatchSize = maximumBatchSize
            self.conflictRetries = conflictRetries
            self.accounts = accounts
        }
    }

    public let schema: Schema
    public let configuration: Configuration
    let store: any EntityStore
    let operationFilters: OperationFilters
    let ids = IDGenerator()
    let logger: Logger
    /// Users, API keys and sessions: who a request comes from.
    public let accounts: Accounts

    /// Creates the service; fails when the RQL of an action or function of the schema does not parse,
    /// names an undeclared `$parameter` or has a literal that does not fit its field's declared type.
    public init(
        store: any EntityStore,
        schema: Schema,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "entityhub.service")
    ) throws(SchemaError) {
        self.store = store
        self.schema = schema
        self.configuration = configuration
        self.logger = logger
        self.accounts = Accounts(store: store, configuration: configuration.accounts, logger: logger)
        self.operationFilters = try OperationFilters(schema: schema)
    }

    /// Fails with ``EntityError/Code/unavailable`` when the store cannot serve requests now.
    public func checkAvailability() async throws(EntityError) {
        do { try await store.checkAvailability() } catch { throw map(error) }
    }

    /// Prepares the store for the schema (tables, indexes, full-text indexes).
    public func prepareStore() async throws(EntityError) {
        do { try await store.prepare(for: schema) } catch { throw map(error) }
    }

    // MARK: Reading

    /// The declaration of a collection, or `notFound` when the schema has no such collection.
    public func collectionSchema(_ collection: CollectionPath) throws(EntityError) -> CollectionSchema {
        guard let declaration = schema.collection(at: collection) else {
            throw EntityError(.notFound, "collection '\(collection.schemaKey)' does not exist")
        }
        return declaration
    }

    /// The entity `id` of `collection`.
    public func get(_ id: String, in collection: CollectionPath, as caller: Caller) async throws(EntityError) -> Entity
    {
        try await requireParent(of: collection, as: caller)
        guard let entity = try await readableEntity(id, in: collection, as: caller) else {
            throw notFound(id, in: collection)
        }
        return entity
    }

    /// The entities among `ids` that exist and that the caller may read, by id; the others are left
    /// out, missing and unreadable alike. One read of the entities and one of the caller's grants,
    /// however many ids are asked for (at most ``Configuration/maximumBatchSize``).
    ///
    /// ```swift
    /// let found = try await service.get(["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:2"], in: CollectionPath("ngsild"), as: caller)
    /// ```
    public func get(_ ids: [String], in collection: CollectionPath, as caller: Caller) async throws(EntityError)
        -> [String: Entity]
    {
        let declaration = try collectionSchema(collection)
        try checkBatchSize(ids.count)
        guard !ids.isEmpty else { return [:] }
        try await requireParent(of: collection, as: caller)
        var entities = try await storeCall { () async throws(StoreError) in try await store.get(ids, in: collection) }
        let rights = try await rights(
            of: caller,
            on: entities.values,
            in: collection,
            policy: policy(for: caller, in: declaration)
        )
        if rights.count < entities.count { entities = entities.filter { rights[$0.key] != nil } }
        return entities
    }

    /// One page of the entities of `collection` matching `query` that the caller may read, with the
    /// exact total of those (entities the caller cannot read are neither listed nor counted).
    ///
    /// The filter's literals are typed by the collection's declared fields; `created` and `updated`
    /// (unless declared as fields) mean `_meta.created` and `_meta.updated`.
    public func list(_ query: Query, in collection: CollectionPath, as caller: Caller) async throws(EntityError)
        -> QueryPage
    {
        let declaration = try collectionSchema(collection)
        try await requireParent(of: collection, as: caller)
        var prepared = try QueryPreparation(collection: declaration, configuration: configuration).prepare(query)
        prepared.filter = try prepared.filter.map { filter throws(EntityError) in
            try securingRelations(filter, as: caller)
        }
        prepared.readableBy = nil
        switch policy(for: caller, in: declaration).listScope {
        case .everything: break
        case .readableBy(let user): prepared.readableBy = user
        case .nothing: return QueryPage(entities: [], total: 0)
        }
        do {
            return try await store.query(prepared, in: collection)
        } catch {
            throw map(error)
        }
    }

    /// Whether the action `name` is declared for `collection`, and with which scope.
    public func actionScope(_ name: String, in collection: CollectionPath) -> ActionSchema.Scope? {
        schema.collection(at: collection)?.actions[name]?.scope
    }

    // MARK: Helpers shared by the write paths

    func fetch(_ id: String, in collection: CollectionPath) async throws(EntityError) -> Entity? {
        do { return try await store.get(id, in: collection) } catch { throw map(error) }
    }

    /// Fails with `notFound` unless the parent entity of a nested collection exists and the caller may read it.
    func requireParent(of collection: CollectionPath, as caller: Caller) async throws(EntityError) {
        guard let parent = collection.parent else { return }
        guard try await readableEntity(parent.id, in: parent.collection, as: caller) != nil else {
            throw notFound(parent.id, in: parent.collection)
        }
    }

    func notFound(_ id: String, in collection: CollectionPath) -> EntityError {
        EntityError(.notFound, "\(collection.schemaKey) '\(id)' does not exist")
    }

    /// Maps a store error to the service's error; internal details go to the log only.
    func map(_ error: StoreError) -> EntityError {
        error.entityError(logging: logger)
    }
}

extension StoreError {
    /// The service's error for a store error: the one mapping of the layer. Internal details go to
    /// `logger`, never to the caller.
    func entityError(logging logger: Logger) -> EntityError {
        switch code {
        case .duplicateID: return EntityError(.duplicateID, message)
        case .duplicateKey: return EntityError(.conflict, message)
        case .versionConflict: return EntityError(.conflict, message)
        case .notFound: return EntityError(.notFound, message)
        case .invalidQuery: return EntityError(.invalidQuery, message)
        case .unavailable:
            logger.warning("store unavailable", metadata: ["error": "\(message)"])
            return EntityError(.unavailable, "the database is unavailable; retry later")
        case .internal:
            logger.error("store failure", metadata: ["error": "\(message)"])
            return EntityError(.internal, "internal error")
        }
    }
}
