import Foundation

/// One event of the audit log, as ``AdminReference/audit(after:limit:)`` reads it: who did what to whom.
public struct AuditEntry: Sendable, Hashable, Decodable {
    /// The event's place in the log: strictly increasing.
    public let sequence: Int64
    /// When it happened.
    public let at: Date
    /// What happened: `user.add`, `user.remove`, `key.create`, `key.revoke`, `login`, `login.failed`,
    /// `logout`, `grant` or `revoke`.
    public let action: String
    /// The user who did it; `nil` when anonymous (such as a failed login).
    public let actor: String?
    /// The user it concerns (the grantee, the key's owner, the name a login tried).
    public let subject: String?
    /// What it concerns, such as the entity `products/PRD-1` or a key's id.
    public let target: String?
    /// More about it, such as the right granted.
    public let detail: String?

    /// An event `action` at `at`.
    public init(
        sequence: Int64,
        at: Date,
        action: String,
        actor: String? = nil,
        subject: String? = nil,
        target: String? = nil,
        detail: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.action = action
        self.actor = actor
        self.subject = subject
        self.target = target
        self.detail = detail
    }
}
