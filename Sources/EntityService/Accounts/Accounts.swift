import EntityModel
import EntityStore
import Foundation
import Logging

/// Users, their API keys and session tokens: who a request comes from, and the admin operations on
/// accounts. Reached as ``EntityService/accounts``.
///
/// Passwords are kept as bcrypt hashes, key and token secrets as SHA-256 hashes; no secret is ever
/// stored, logged or returned after the answer that created it.
public final class Accounts: Sendable {
    /// Settings of sign-in.
    public struct Configuration: Sendable {
        /// bcrypt cost of password hashes (4–31). Default 12.
        public var bcryptCost: UInt8
        /// How long a session token from a login is valid. Default 24 hours.
        public var sessionLifetime: TimeInterval
        /// How long a credential read from the store is trusted without reading it again; a revocation
        /// made through another server process takes effect within this time. Default 5 seconds.
        public var credentialCacheLifetime: TimeInterval
        /// Failed logins allowed per user name, and per client address, within ``loginFailureWindow``
        /// before further attempts get `rateLimited`. Default 5.
        public var loginFailureLimit: Int
        /// Default 60 seconds.
        public var loginFailureWindow: TimeInterval
        /// The clock (tests move it to expire tokens).
        public var now: @Sendable () -> Date

        public init(
            bcryptCost: UInt8 = 12,
            sessionLifetime: TimeInterval = 24 * 60 * 60,
            credentialCacheLifetime: TimeInterval = 5,
            loginFailureLimit: Int = 5,
            loginFailureWindow: TimeInterval = 60,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.bcryptCost = bcryptCost
            self.sessionLifetime = sessionLifetime
            self.credentialCacheLifetime = credentialCacheLifetime
            self.loginFailureLimit = loginFailureLimit
            self.loginFailureWindow = loginFailureWindow
            self.now = now
        }
    }

    public let configuration: Configuration
    let store: any EntityStore
    let logger: Logger
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let cache: CredentialCache
    let decoyHash: String

    init(store: any EntityStore, configuration: Configuration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.hasher = PasswordHasher(cost: configuration.bcryptCost)
        self.throttle = LoginThrottle(limit: configuration.loginFailureLimit, window: configuration.loginFailureWindow)
        self.cache = CredentialCache(lifetime: configuration.credentialCacheLifetime)
        self.decoyHash = hasher.makeDecoy()
    }

    /// The current time, truncated to the millisecond that stores keep.
    var now: Date {
        Date(timeIntervalSince1970: (configuration.now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    // MARK: Authentication

    /// The caller an `Authorization` header names: anonymous without one; a user for a valid
    /// `ApiKey <id>:<secret>` or `Bearer <token>`.
    ///
    /// Fails with ``EntityError/Code/unauthenticated`` for any other header, and for unknown, revoked
    /// or expired credentials: a client that sends credentials never silently becomes anonymous.
    public func authenticate(authorization: String?, channel: String) async throws(EntityError) -> Caller {
        guard let authorization, !authorization.isEmpty else { return .anonymous(channel: channel) }
        let (scheme, value) = Self.split(authorization, at: " ")
        if scheme == "ApiKey" || scheme.caseInsensitiveEquals("apikey") {
            let (id, secret) = Self.split(value, at: ":")
            return try await caller(id: id, secret: secret, kind: .apiKey, channel: channel)
        }
        if scheme == "Bearer" || scheme.caseInsensitiveEquals("bearer") {
            let (id, secret) = Self.split(value, at: ".")
            return try await caller(id: id, secret: secret, kind: .session, channel: channel)
        }
        throw EntityError(
            .unauthenticated,
            "unsupported Authorization scheme; send 'ApiKey <id>:<secret>' or 'Bearer <token>'"
        )
    }

    private func caller(id: String, secret: String, kind: CredentialRecord.Kind, channel: String)
        async throws(EntityError) -> Caller
    {
        let rejected = EntityError(
            .unauthenticated,
            kind == .apiKey ? "invalid API key" : "invalid or expired token; sign in again"
        )
        guard !id.isEmpty, !secret.isEmpty else { throw rejected }
        let now = configuration.now()
        let entry: CredentialCache.Entry
        if let cached = cache.entry(for: id, now: now) {
            entry = cached
        } else {
            guard
                let credential = try await storeCall({ () async throws(StoreError) in
                    try await store.credential(id: id)
                }),
                let user = try await storeCall({ () async throws(StoreError) in
                    try await store.user(id: credential.userID)
                })
            else { throw rejected }
            entry = CredentialCache.Entry(credential: credential, user: user, readAt: now)
            cache.store(entry)
        }
        guard entry.credential.kind == kind, Secrets.matches(secret, storedHash: entry.credential.secretHash) else {
            throw rejected
        }
        if let expiry = entry.credential.expiresAt, expiry <= now { throw rejected }
        var caller = Caller.user(entry.user, channel: channel)
        caller.credentialID = id
        return caller
    }

    // MARK: Helpers

    /// Runs a store call, mapping its error (a taken name or id is `duplicateID`).
    func storeCall<Value>(_ body: () async throws(StoreError) -> Value) async throws(EntityError) -> Value {
        do {
            return try await body()
        } catch {
            if error.code == .duplicateKey { throw EntityError(.duplicateID, error.message) }
            throw error.entityError(logging: logger)
        }
    }

    /// Fails unless the caller is a signed-in admin: 401 when anonymous, 403 otherwise.
    func requireAdmin(_ caller: Caller) throws(EntityError) {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in as an admin") }
        guard caller.isAdmin else { throw EntityError(.forbidden, "only admins may manage users and keys") }
    }

    /// The text before the first `separator` (an ASCII character) and the rest, with spaces around
    /// the rest removed. Works on UTF-8 bytes: this runs on every signed request.
    static func split(_ text: String, at separator: Unicode.Scalar) -> (String, String) {
        let bytes = text.utf8
        let byte = UInt8(ascii: separator)
        guard let index = bytes.firstIndex(of: byte) else { return (text, "") }
        var rest = bytes[bytes.index(after: index)...]
        while rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
        while rest.last == UInt8(ascii: " ") { rest = rest.dropLast() }
        return (String(Substring(bytes[..<index])), String(Substring(rest)))
    }
}

extension String {
    /// ASCII case-insensitive equality, without building lowercased copies.
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        let left = utf8
        let right = other.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { pair in
            let (a, b) = pair
            return a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7a)
        }
    }
}
