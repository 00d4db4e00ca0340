import EntityModel
import Foundation

/// A right given to one user on one entity, as ``AccessReference/grant(_:_:)`` returns it.
public struct Grant: Sendable, Hashable, Decodable {
    /// The grant's id, such as `GRT-…`; a changed grant keeps its id.
    public let id: String
    /// The entity's path, such as `products/PRD-1`.
    public let entity: String
    /// The user who holds the right.
    public let user: String
    /// The right given: never ``EntityModel/AccessRight/creator``.
    public let right: AccessRight
    /// Who gave it; `nil` when the server does not know.
    public let grantedBy: String?
    /// When it was given (or last changed).
    public let grantedAt: Date

    /// The grant `id` of `right` on `entity` to `user`.
    public init(id: String, entity: String, user: String, right: AccessRight, grantedBy: String?, grantedAt: Date) {
        self.id = id
        self.entity = entity
        self.user = user
        self.right = right
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, entity, user, right
        case grantedBy = "granted_by"
        case grantedAt = "granted_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        entity = try container.decode(String.self, forKey: .entity)
        user = try container.decode(String.self, forKey: .user)
        guard let right = try container.decodeRightIfPresent(forKey: .right) else {
            throw DecodingError.valueNotFound(
                AccessRight.self,
                .init(codingPath: container.codingPath + [CodingKeys.right], debugDescription: "a grant has a right")
            )
        }
        self.right = right
        grantedBy = try container.decodeIfPresent(String.self, forKey: .grantedBy)
        grantedAt = try container.decode(Date.self, forKey: .grantedAt)
    }
}
