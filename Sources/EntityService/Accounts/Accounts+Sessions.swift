import EntityModel
import EntityStore
import Foundation

/// A session opened by ``Accounts/login(username:password:address:channel:)``.
public struct Session: Sendable, Hashable {
    /// Sent as `Authorization: Bearer <token>`.
    public let token: String
    public let expiresAt: Date
    public let user: UserRecord
}

extension Accounts {
    /// Checks a user name and password and opens a session.
    ///
    /// Wrong names and wrong passwords get the same answer. After ``Configuration/loginFailureLimit``
    /// failures for the name, or from the `address`, within the window, attempts fail with
    /// ``EntityError/Code/rateLimited`` until it has passed. Every failure is audited.
    public func login(username: String, password: String, address: String?, channel: String)
        async throws(EntityError) -> Session
    {
        let now = now
        let keys = ["user:\(username)"] + (address.map { ["address:\($0)"] } ?? [])
        if let wait = throttle.retryAfter(for: keys, now: now) {
            throw EntityError(.rateLimited, "too many failed logins; retry in \(wait) seconds", retryAfter: wait)
        }
        let user = try await storeCall { () async throws(StoreError) in try await store.user(named: username) }
        let verified = await hasher.verify(password, hash: user?.passwordHash ?? decoyHash)
        guard let user, user.passwordHash != nil, verified else {
            throttle.recordFailure(for: keys, now: now)
            let event = AuditEvent(at: now, action: "login.failed", actor: nil, subject: username, detail: address)
            try await storeCall { () async throws(StoreError) in try await store.appendAudit(event) }
            throw EntityError(.unauthenticated, "invalid username or password")
        }
        throttle.reset("user:\(username)")
        let secret = Secrets.random()
        let credential = CredentialRecord(
            id: Secrets.identifier(prefix: "SES-"),
            kind: .session,
            userID: user.id,
            secretHash: Secrets.hash(secret),
            createdAt: now,
            expiresAt: now.addingTimeInterval(configuration.sessionLifetime)
        )
        let event = AuditEvent(at: now, action: "login", actor: user.name, subject: user.name, target: credential.id)
        try await storeCall { () async throws(StoreError) in try await store.insertCredential(credential, audit: event)
        }
        return Session(token: "\(credential.id).\(secret)", expiresAt: credential.expiresAt ?? now, user: user)
    }

    /// The caller acting as the user named `name`: themselves, or (for an admin) that user, with
    /// that user's rights and roles. Anyone else naming another user is ``EntityError/Code/forbidden``.
    public func acting(as name: String, by caller: Caller) async throws(EntityError) -> Caller {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in first") }
        guard name != caller.userName else { return caller }
        guard caller.isAdmin else {
            throw EntityError(
                .forbidden,
                "you are signed in as '\(caller.userName ?? "")'; only admins act as another user"
            )
        }
        let user = try await existingUser(name)
        var acting = Caller.user(user, channel: caller.channel)
        acting.credentialID = caller.credentialID
        return acting
    }

    /// Ends the session the caller signed in with (revokes its token).
    public func logout(_ caller: Caller) async throws(EntityError) {
        guard caller.isAuthenticated, let id = caller.credentialID else {
            throw EntityError(.unauthenticated, "sign in first")
        }
        let credential = try await storeCall { () async throws(StoreError) in try await store.credential(id: id) }
        guard credential?.kind == .session else {
            throw EntityError(.invalidRequest, "logout ends a session opened by a login; revoke API keys instead")
        }
        let event = AuditEvent(at: now, action: "logout", actor: caller.userName, subject: caller.userName, target: id)
        cache.remove(credential: id)
        _ = try await storeCall { () async throws(StoreError) in try await store.removeCredential(id: id, audit: event)
        }
    }
}
