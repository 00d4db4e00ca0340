import EntityModel
import EntityStore
import Foundation

/// What the replica keeps about its syncing, in its own store beside the data (collections whose
/// names start with `_`, which no server collection has):
/// - `_sync_state/state`: the device id, the pull cursor, and the local change-log sequence up to
///   which local changes were pushed;
/// - `_sync_base_<collection>/<id>`: the server's version and values of each entity as last seen —
///   the base a local edit is pushed against.
enum ReplicaState {
    static let state = CollectionPath("_sync_state")

    static func baseCollection(_ collection: String) -> CollectionPath { CollectionPath("_sync_base_" + collection) }

    struct Base: Sendable, Hashable {
        var version: Int64
        var values: [String: JSON]
    }

    /// The device id, made on first use.
    static func device(in store: any EntityStore) async throws -> String {
        if let device = try await value("device", in: store)?.stringValue { return device }
        let device = "replica-" + UUID().uuidString.lowercased()
        try await set(["device": .string(device)], in: store)
        return device
    }

    static func value(_ key: String, in store: any EntityStore) async throws -> JSON? {
        try await store.get("state", in: state)?.values[key]
    }

    /// Merges `members` into the state entity.
    static func set(_ members: [String: JSON], in store: any EntityStore) async throws {
        let values = (try await store.get("state", in: state)?.values ?? [:]).merging(members) { _, new in new }
        try await store.apply(try await writes(putting: values, as: "state", in: state, store: store))
    }

    static func base(of id: String, in collection: String, store: any EntityStore) async throws -> Base? {
        guard let entity = try await store.get(id, in: baseCollection(collection)),
            case .integer(let version) = entity.values["version"]
        else { return nil }
        return Base(version: version, values: entity.values["values"]?.objectValue ?? [:])
    }

    /// The writes that record `base` (or its absence) for entity `id`.
    static func writes(
        recording base: Base?,
        of id: String,
        in collection: String,
        store: any EntityStore
    ) async throws -> [EntityWrite] {
        let values = base.map { ["version": JSON.integer($0.version), "values": .object($0.values)] }
        return try await writes(putting: values, as: id, in: baseCollection(collection), store: store)
    }

    /// The writes that make the local copy of `id` hold `values` (remove it for `nil`).
    static func writes(
        settingLocal values: [String: JSON]?,
        of id: String,
        in collection: String,
        store: any EntityStore
    )
        async throws -> [EntityWrite]
    {
        try await writes(putting: values, as: id, in: CollectionPath(collection), store: store)
    }

    /// The writes that make entity `id` of `path` hold `values` (created, updated, or removed for
    /// `nil`); none when it already does.
    private static func writes(
        putting values: [String: JSON]?,
        as id: String,
        in path: CollectionPath,
        store: any EntityStore
    )
        async throws -> [EntityWrite]
    {
        let stored = try await store.get(id, in: path)
        guard let values else {
            return stored == nil ? [] : [.delete(id: id, collection: path, expectedVersion: nil)]
        }
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        guard var stored else {
            return [
                .insert(Entity(collection: path, id: id, values: values, version: 1, createdAt: now, updatedAt: now))
            ]
        }
        guard stored.values != values else { return [] }
        let expected = stored.version
        stored.values = values
        stored.version += 1
        stored.updatedAt = now
        return [.update(stored, expectedVersion: expected)]
    }
}
