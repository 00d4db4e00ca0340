import EntityStore

/// Who is calling ``EntityService`` and through which protocol.
///
/// Adapters get it from ``Accounts/authenticate(authorization:channel:)``; a request without
/// credentials is ``anonymous(channel:)``.
public struct Caller: Sendable, Hashable {
    /// The id of the signed-in user's account (``EntityStore/UserRecord/id``), or `nil` for an
    /// anonymous caller. It is what ``Entity/createdBy``, grants and idempotency keys hold.
    public var userID: String?
    /// The signed-in user's name, for the audit log and answers; `nil` for an anonymous caller.
    public var userName: String?
    /// The caller's roles: ``Role/admin`` or none.
    public var roles: Set<String>
    /// The protocol adapter the call came through (`rest`, `odata`, ...), for logs and the change log.
    public var channel: String
    /// The id of the API key or session token that signed the call in (what a logout revokes).
    public var credentialID: String?

    public init(
        userID: String? = nil,
        userName: String? = nil,
        roles: Set<String> = [],
        channel: String,
        credentialID: String? = nil
    ) {
        self.userID = userID
        self.userName = userName ?? userID
        self.roles = roles
        self.channel = channel
        self.credentialID = credentialID
    }

    /// An anonymous caller of the given channel.
    public static func anonymous(channel: String) -> Caller {
        Caller(channel: channel)
    }

    /// A signed-in user (an admin when `isAdmin`): the account `id`, named `name` (by default its id).
    public static func user(_ id: String, name: String? = nil, isAdmin: Bool = false, channel: String) -> Caller {
        Caller(userID: id, userName: name ?? id, roles: isAdmin ? [Role.admin] : [], channel: channel)
    }

    /// The signed-in `user` (an admin when the account is).
    public static func user(_ user: UserRecord, channel: String) -> Caller {
        .user(user.id, name: user.name, isAdmin: user.isAdmin, channel: channel)
    }

    /// Whether the caller holds the admin role: ``AccessRight/creator`` on every entity, and the
    /// account operations.
    public var isAdmin: Bool { roles.contains(Role.admin) }

    /// Whether the caller signed in.
    public var isAuthenticated: Bool { userID != nil }
}

/// The roles a user can hold.
public enum Role {
    /// Administers users and keys, and holds every right on every entity.
    public static let admin = "admin"
    /// Everyone else.
    public static let user = "user"
}
