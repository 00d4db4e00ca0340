import EntityModel
import EntityStore

/// One offline write of a device, as pushed: what the client changed, against which version.
public struct SyncMutation: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        case create, update, delete
    }

    /// The device's id for this mutation: a retried push with the same id is answered from the
    /// stored result.
    public var mutationID: String
    public var operation: Operation
    /// The collection's schema key.
    public var collection: String
    public var id: String
    /// The version the client's edit started from (updates and deletes).
    public var baseVersion: Int64?
    /// Top-level keys the client set, and those it removed.
    public var set: [String: JSON]
    public var unset: [String]
    /// The values of the keys in ``set`` and ``unset`` as the client last saw them; a key missing
    /// here did not exist then.
    public var base: [String: JSON]

    public init(
        mutationID: String,
        operation: Operation,
        collection: String,
        id: String,
        baseVersion: Int64? = nil,
        set: [String: JSON] = [:],
        unset: [String] = [],
        base: [String: JSON] = [:]
    ) {
        self.mutationID = mutationID
        self.operation = operation
        self.collection = collection
        self.id = id
        self.baseVersion = baseVersion
        self.set = set
        self.unset = unset
        self.base = base
    }

    /// The mutation as one canonical text: what a receipt's fingerprint is made of.
    var canonicalText: String {
        var members: [String: JSON] = [
            "op": .string(operation.rawValue), "collection": .string(collection), "id": .string(id),
            "set": .object(set), "unset": .array(unset.map(JSON.string)), "base": .object(base),
        ]
        if let baseVersion { members["base_version"] = .integer(baseVersion) }
        return JSON.object(members).serialized()
    }
}

/// What the server did with one pushed mutation.
public struct SyncPushResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Written as the client made it.
        case applied
        /// Written after a three-way merge with changes the client had not seen (or nothing was left
        /// to write): no edit was lost.
        case merged
        /// Some of the edit could not be applied; each such part is a ``SyncConflict`` kept on the
        /// server. The rest was applied.
        case conflict
        /// Not written: ``error`` says why.
        case rejected
    }

    public var mutationID: String
    public var status: Status
    public var collection: String
    public var id: String
    /// The entity's version after the push; `nil` when it does not exist.
    public var version: Int64?
    /// For ``Status/merged`` and ``Status/conflict``: the values now stored, which the client adopts.
    public var values: [String: JSON]?
    /// The conflicts this mutation created.
    public var conflicts: [SyncConflict]
    /// For ``Status/rejected``: why.
    public var error: EntityError?

    public init(
        mutationID: String,
        status: Status,
        collection: String,
        id: String,
        version: Int64? = nil,
        values: [String: JSON]? = nil,
        conflicts: [SyncConflict] = [],
        error: EntityError? = nil
    ) {
        self.mutationID = mutationID
        self.status = status
        self.collection = collection
        self.id = id
        self.version = version
        self.values = values
        self.conflicts = conflicts
        self.error = error
    }

    static func rejected(_ mutation: SyncMutation, _ error: EntityError) -> SyncPushResult {
        SyncPushResult(
            mutationID: mutation.mutationID,
            status: .rejected,
            collection: mutation.collection,
            id: mutation.id,
            error: error
        )
    }
}
