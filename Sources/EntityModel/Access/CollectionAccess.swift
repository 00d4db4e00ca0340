/// Who may read and create in a collection by default, before any per-entity grant.
///
/// The creator of an entity always holds ``AccessRight/creator`` on it, and admins hold it on every
/// entity; these defaults only add read access for others.
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

    public var read: Read
    public var create: Create

    public init(read: Read = .private, create: Create = .authenticated) {
        self.read = read
        self.create = create
    }
}
