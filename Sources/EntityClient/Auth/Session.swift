import Foundation

/// A sign-in of one user: a bearer token valid until ``expiresAt`` or ``EntityClient/logout()``.
///
/// ```swift
/// let session = try await client.login(username: "alice", password: password)
/// let alice = client.signedIn(with: session)   // sends Authorization: Bearer <token>
/// print(try await alice.me().name)             // alice
/// try await alice.logout()
/// ```
public struct Session: Sendable, Hashable, Decodable {
    /// The opaque token, sent as `Authorization: Bearer <token>`.
    public let token: String
    /// The token's scheme, `Bearer`.
    public let tokenType: String
    /// When the token stops being accepted.
    public let expiresAt: Date
    /// Who signed in.
    public let user: UserIdentity

    /// The `Authorization` header that makes requests as this session, such as `Bearer <token>`.
    public var authorization: String { "\(tokenType.isEmpty ? "Bearer" : tokenType) \(token)" }

    /// A session of `user` with `token`, valid until `expiresAt`.
    public init(token: String, tokenType: String = "Bearer", expiresAt: Date, user: UserIdentity) {
        self.token = token
        self.tokenType = tokenType
        self.expiresAt = expiresAt
        self.user = user
    }

    private enum CodingKeys: String, CodingKey {
        case token, user
        case tokenType = "token_type"
        case expiresAt = "expires_at"
    }
}
