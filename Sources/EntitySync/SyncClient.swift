import EntityClient
import EntityModel
import EntityQuery
import EntityStore
import Foundation
import SQLiteEntityStore

/// A replica of some collections of an EntityHub server in one SQLite file: reads and writes work
/// offline, ``sync()`` exchanges the changes with the server.
///
/// ```swift
/// let replica = try await SyncClient(
///     client: EntityClient(endpoint: "http://127.0.0.1:8080", apiKey: "ApiKey …"),
///     databasePath: "notes.sqlite", collections: ["notes"]
/// ) { conflict in .keepMine }
/// let note = try await replica.create(["title": "Milk"], in: "notes")     // offline
/// let report = try await replica.sync()                                  // push, then pull
/// ```
///
/// The replica is a ``SQLiteEntityStore`` (the same queries run offline). Its own change log is the
/// outbox: ``sync()`` pushes every entity changed since the last sync as one mutation against the
/// server state it last saw (its *base*, kept beside it), with a mutation id derived from the local
/// change, so a push cut off midway is resumed without writing twice. The server merges (see
/// `POST /api/v1/_sync/push`); merged values replace the local ones; a conflict goes to
/// `onConflict`, whose decision resolves it on the server; a rejected write is rolled back to the
/// server's state and reported, never retried. Then the pull brings what others changed: an entity
/// deleted on the server or no longer shared is removed locally.
///
/// Files: ``attach(fileAt:type:name:)`` copies a file into the replica's file folder and gives the
/// `{"$file": …}` value to put into an entity; ``sync()`` uploads such files before it pushes (an
/// interrupted upload resumes from the server's offset); ``file(_:of:in:)`` downloads a file an entity
/// refers to on demand. A local file goes when the pull removes the last local entity referring to it.
public actor SyncClient {
    /// What to do with a conflict the server recorded for one of this replica's writes.
    public enum Decision: Sendable, Hashable {
        /// Keep what the server holds.
        case keepServer
        /// Write this replica's value over it.
        case keepMine
        /// Write these merged values (a key conflict: the key's value; a whole-entity one: the values).
        case merged(JSON)
    }

    /// A conflict as the server recorded it (see `GET /api/v1/_sync/conflicts`).
    public struct Conflict: Sendable, Hashable {
        public let id: String
        public let collection: String
        public let entityID: String
        /// The key both sides changed; `nil` for a conflict about the whole entity.
        public let key: String?
        /// `changed`, `deleted` or `delete-changed`.
        public let reason: String
        public let base: JSON?
        public let server: JSON?
        public let client: JSON?
    }

    let client: EntityClient
    let store: SQLiteEntityStore
    /// The synced collections.
    public let collections: [String]
    let onConflict: @Sendable (Conflict) async -> Decision
    let device: String
    /// The replica's file folder, `<databasePath>.files`: attached and downloaded files by SHA-256.
    let filesDirectory: URL
    /// The files being downloaded now (a second caller waits for the first).
    var downloading: Set<String> = []
    /// Hears the progress of file transfers; see ``observeFileTransfers(_:)``.
    var transferObserver: (@Sendable (FileTransfer) -> Void)?

    /// Opens (or creates) the replica at `databasePath` for `collections` of the server `client`
    /// talks to (its API key is the user whose data this is). Files live beside it, in the folder
    /// `<databasePath>.files`.
    public init(
        client: EntityClient,
        databasePath: String,
        collections: [String],
        onConflict: @escaping @Sendable (Conflict) async -> Decision = { _ in .keepServer }
    ) async throws {
        self.client = client
        self.collections = collections
        self.onConflict = onConflict
        self.filesDirectory = URL(fileURLWithPath: databasePath + ".files", isDirectory: true)
        let store = try SQLiteEntityStore(path: databasePath)
        self.store = store
        self.device = try await ReplicaState.device(in: store)
    }

    // MARK: Local reads and writes (offline)

    /// The local copy of entity `id`, or `nil`.
    public func get(_ id: String, in collection: String) async throws -> Entity? {
        try await store.get(id, in: CollectionPath(collection))
    }

    /// Local entities of `collection` matching `query` (the server's query semantics).
    public func query(_ query: Query = Query(), in collection: String) async throws -> [Entity] {
        try await store.query(query, in: CollectionPath(collection)).entities
    }

    /// Creates an entity locally (pushed on the next sync); `id` defaults to a new UUID.
    @discardableResult
    public func create(_ values: [String: JSON], id: String? = nil, in collection: String) async throws -> Entity {
        try requireSynced(collection)
        let now = Self.now()
        let entity = Entity(
            collection: CollectionPath(collection),
            id: id ?? UUID().uuidString.lowercased(),
            values: values,
            version: 1,
            createdAt: now,
            updatedAt: now
        )
        try await store.apply([.insert(entity)])
        return entity
    }

    /// Sets `set` and removes `unset` on the local copy of `id` (pushed on the next sync).
    @discardableResult
    public func update(_ id: String, set: [String: JSON] = [:], unset: [String] = [], in collection: String)
        async throws -> Entity
    {
        try requireSynced(collection)
        guard var entity = try await store.get(id, in: CollectionPath(collection)) else {
            throw SyncClientError("\(collection) '\(id)' is not in the replica")
        }
        let expected = entity.version
        for (key, value) in set { entity.values[key] = value }
        for key in unset { entity.values[key] = nil }
        entity.version += 1
        entity.updatedAt = Self.now()
        try await store.apply([.update(entity, expectedVersion: expected)])
        return entity
    }

    /// Deletes the local copy of `id` (pushed on the next sync).
    public func delete(_ id: String, in collection: String) async throws {
        try requireSynced(collection)
        try await store.apply([.delete(id: id, collection: CollectionPath(collection), expectedVersion: nil)])
    }

    private func requireSynced(_ collection: String) throws {
        guard collections.contains(collection) else {
            throw SyncClientError("'\(collection)' is not one of the replica's collections \(collections)")
        }
    }

    static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}

/// An error of the replica itself (the server's errors come as `EntityClientError`).
public struct SyncClientError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
