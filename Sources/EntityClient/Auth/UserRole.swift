/// What a user may do beyond their own entities: `user` or `admin`.
///
/// A struct rather than an enum, so that a role a newer server knows is read rather than refused.
public struct UserRole: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The role as the server writes it, such as `admin`.
    public let rawValue: String

    /// The role `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A signed-in user: reaches their own entities, those shared with them and the collections' defaults.
    public static let user = UserRole(rawValue: "user")
    /// An administrator: holds every right on every entity and manages users, keys and the audit log.
    public static let admin = UserRole(rawValue: "admin")

    public var description: String { rawValue }
}

/// Who a request is made as: a user's name and role, as ``EntityClient/me()`` reports it.
public struct UserIdentity: Sendable, Hashable, Decodable {
    /// The user's name.
    public let name: String
    /// The user's role.
    public let role: UserRole

    /// The identity of `name` with `role`.
    public init(name: String, role: UserRole) {
        self.name = name
        self.role = role
    }
}
