/// Who may read, create and write in a collection by default, before any per-entity grant.
///
/// The creator of an entity always holds ``AccessRight/creator`` on it, and admins hold it on every
/// entity; these defaults only add rights for others: read (``Read``) and delete, which includes
/// update and read (``Write``).
public struct CollectionAccess: Sendable, Hashable {
    /// Who may read every entity of the collection.
    public enum Read: String, Sendable, Hashable, CaseIterable {
        /// Only the creator, grantees and admins (the default).
        case `private` = "private"
        /// Every signed-in user.
        case authenticatedRead = "authenticated-read"
        /// Everyone, including anonymous callers.
        case publicRead = "public-read"
    }

    /// Who may create entities in the collection.
    public enum Create: String, Sendable, Hashable, CaseIterable {
        /// Everyone, including anonymous callers (their entities have no creator, so only admins
        /// and the collection's read default reach them).
        case anyone
        /// Every signed-in user (the default).
        case authenticated
        /// Admins only.
        case admin
    }

    /// Who may change and delete every entity of the collection.
    public enum Write: String, Sendable, Hashable, CaseIterable {
        /// Only the creator, grantees and admins (the default).
        case creator
        /// Every signed-in user holds ``AccessRight/delete`` (so also update and read) on every entity.
        case authenticated
        /// Everyone, including anonymous callers, holds ``AccessRight/delete`` on every entity: an open
        /// broker.
        case anyone
    }

    public var read: Read
    public var create: Create
    public var write: Write

    public init(read: Read = .private, create: Create = .authenticated, write: Write = .creator) {
        self.read = read
        self.create = create
        self.write = write
    }
}
