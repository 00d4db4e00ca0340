import EntityModel

/// One user's access to an entity, as ``AccessReference/list()`` reports it.
public struct AccessEntry: Sendable, Hashable, Decodable {
    /// The user's name.
    public let user: String
    /// The right the user holds; `nil` when they hold none.
    public let right: AccessRight?
    /// The id of the grant that gives the right (`GRT-…`); `nil` for the creator's right, an admin's, or
    /// no right.
    public let grantID: String?

    /// An entry of `user` holding `right` through the grant `grantID`.
    public init(user: String, right: AccessRight?, grantID: String?) {
        self.user = user
        self.right = right
        self.grantID = grantID
    }

    private enum CodingKeys: String, CodingKey {
        case user, right
        case grantID = "grant_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try container.decode(String.self, forKey: .user)
        right = try container.decodeRightIfPresent(forKey: .right)
        grantID = try container.decodeIfPresent(String.self, forKey: .grantID)
    }
}

extension KeyedDecodingContainer {
    /// The right coded at `key` (`C`, `D`, `U`, `r`, or a longer spelling such as `DaR`); `nil` for `null`.
    func decodeRightIfPresent(forKey key: Key) throws -> AccessRight? {
        guard let code = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let right = AccessRight(code: code) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: self,
                debugDescription: "'\(code)' is not a right (C, D, U or r)"
            )
        }
        return right
    }
}
