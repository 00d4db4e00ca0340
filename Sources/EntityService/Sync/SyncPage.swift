import EntityModel
import EntityStore

/// One entry of a sync pull: the latest state of one entity for the caller.
public struct SyncChange: Sendable, Hashable {
    /// `upsert`: the caller may read the entity (``entity`` holds it, ``right`` their right);
    /// `delete`: it was deleted; `revoke`: the caller may no longer read it (a grant revoked, the
    /// owner changed). The feed's operations, decided again when pulled.
    public typealias Operation = FeedEntry.Operation

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
