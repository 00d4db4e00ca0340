import Foundation

/// A user account, as ``AdminReference/users()`` lists it.
public struct UserAccount: Sendable, Hashable, Decodable {
    /// The user's name: their identity, held by the entities they create and the grants they get.
    public let name: String
    /// The user's role.
    public let role: UserRole
    /// When the account was added.
    public let createdAt: Date

    /// The account `name` with `role`, added at `createdAt`.
    public init(name: String, role: UserRole, createdAt: Date) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case name, role
        case createdAt = "created_at"
    }
}
