import EntityModel
import EntityStore

/// One entry of a sync pull: the latest state of one entity for the caller.
public struct SyncChange: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        /// The caller may read the entity: ``SyncChange/entity`` holds it, ``SyncChange/right`` their right.
        case upsert
        /// The entity was deleted.
        case delete
        /// The caller may no longer read the entity (a grant revoked, the owner changed).
        case revoke
    }

    /// The change-log sequence of the entity's latest change the caller's feed holds.
    public var sequence: Int64
    public var operation: Operation
    public var collection: CollectionPath
    public var id: String
    public var version: Int64
    /// For an upsert: the entity as stored now.
    public var entity: Entity?
    /// For an upsert: the caller's right on it.
    public var right: AccessRight?
}

/// A page of a sync pull.
public struct SyncPage: Sendable, Hashable {
    public var changes: [SyncChange]
    /// Where the next pull starts.
    public var cursor: SyncCursor
    /// Whether more changes follow now.
    public var more: Bool
}
