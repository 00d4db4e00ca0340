import EntityModel

/// Whose feed a row of the sync feed belongs to.
///
/// Every write keeps one row per (reader, entity) that moves forward to the write's change-log
/// sequence, so a pull reads only the rows of the caller's readers after its cursor: its cost is the
/// number of changes the caller may see, not the size of the log or of the store.
public enum FeedReader: Sendable, Hashable {
    /// A user (by ``UserRecord/id``): the creator of an entity and each user granted a right on it.
    case user(String)
    /// Everyone who reads a collection without a grant (collections readable by default, and admins),
    /// by the collection's ``CollectionPath/schemaKey``.
    case everyone(schemaKey: String)

    /// The text stored in the feed's `reader` column: `u:<user id>` or `*:<schema key>`.
    public var storageKey: String {
        switch self {
        case .user(let id): return "u:" + id
        case .everyone(let schemaKey): return "*:" + schemaKey
        }
    }
}

/// One row of the sync feed: the latest change of one entity for one reader.
public struct FeedEntry: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        /// Created, changed, or newly shared with the reader.
        case upsert
        /// Deleted.
        case delete
        /// The reader's grant was revoked.
        case revoke
    }

    /// The change-log sequence of the change: strictly increasing across the store.
    public var sequence: Int64
    public var operation: Operation
    public var collection: CollectionPath
    public var id: String
    /// The entity's version at that change (for a delete: the version it had).
    public var version: Int64

    public init(sequence: Int64, operation: Operation, collection: CollectionPath, id: String, version: Int64) {
        self.sequence = sequence
        self.operation = operation
        self.collection = collection
        self.id = id
        self.version = version
    }
}
