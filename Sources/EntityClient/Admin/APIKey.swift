import Foundation

/// An API key of a user, as ``AdminReference/keys(of:)`` lists it: never its secret.
public struct APIKey: Sendable, Hashable, Decodable {
    /// The key's id, such as `KEY-…`: the part before `:` in `ApiKey <id>:<secret>`.
    public let id: String
    /// The user the key signs in as.
    public let user: String
    /// The name its owner gave it, such as `ci`.
    public let label: String?
    /// When the key was created.
    public let createdAt: Date

    /// The key `id` of `user`.
    public init(id: String, user: String, label: String?, createdAt: Date) {
        self.id = id
        self.user = user
        self.label = label
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, user, label
        case createdAt = "created_at"
    }
}

/// A newly created API key with its secret, as ``AdminReference/createKey(for:label:)`` returns it: the
/// only time the server shows the secret.
public struct CreatedAPIKey: Sendable, Hashable, Decodable {
    /// The key's id, owner, label and creation time.
    public let apiKey: APIKey
    /// The credential, `<id>:<secret>`.
    public let key: String
    /// The `Authorization` header to send, `ApiKey <id>:<secret>`: what ``EntityClient/init(endpoint:apiKey:configuration:)``
    /// takes as `apiKey`.
    public let authorization: String

    /// The key's id, such as `KEY-…`.
    public var id: String { apiKey.id }

    private enum CodingKeys: String, CodingKey {
        case key, authorization
    }

    public init(from decoder: any Decoder) throws {
        apiKey = try APIKey(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        authorization = try container.decodeIfPresent(String.self, forKey: .authorization) ?? "ApiKey \(key)"
    }
}
