import Foundation

/// A user account, as ``AdminReference/users()`` lists it.
public struct UserAccount: Sendable, Hashable, Decodable {
    /// The account's id: its identity, held by the entities it creates (`_meta.createdBy`) and the
    /// grants it gets. Never given to another account, even one with the same name. `nil` from
    /// servers that do not send it.
    public let id: String?
    /// The user's name: how people, sign-in, sharing and the audit log refer to the account.
    public let name: String
    /// The user's role.
    public let role: UserRole
    /// When the account was added.
    public let createdAt: Date

    /// The account `id` named `name` with `role`, added at `createdAt`.
    public init(id: String? = nil, name: String, role: UserRole, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, role
        case createdAt = "created_at"
    }
}
