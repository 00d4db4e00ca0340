import EntityModel
import Foundation

/// The storage of who may do what: users, their credentials, per-entity grants and the audit log.
///
/// Part of every ``EntityStore``: grants live beside the entities so that a query restricted with
/// ``Query/readableBy`` is answered in the database, and deleting an entity deletes its grants in
/// the same transaction. Each change that is audited takes its ``AuditEvent`` and stores it in the
/// same transaction as the change.
public protocol AccessStore: Sendable {
    // MARK: Users

    /// The user named `name`, or `nil`.
    func user(named name: String) async throws(StoreError) -> UserRecord?
    /// The user whose ``UserRecord/id`` is `id`, or `nil`.
    func user(id: String) async throws(StoreError) -> UserRecord?
    /// Every user, sorted by name.
    func users() async throws(StoreError) -> [UserRecord]
    /// Adds a user; fails with ``StoreError/Code/duplicateKey`` when the name or the id is taken.
    func insertUser(_ user: UserRecord, audit: AuditEvent) async throws(StoreError)
    /// Removes the user `id` with their credentials and grants; `false` when there is no such user.
    ///
    /// The entities they created keep their ``Entity/createdBy`` (an id no later user is given, so
    /// only admins hold ``AccessRight/creator`` on them) unless `newOwner` names another user's id:
    /// then, in the same transaction, those entities pass to that user, who holds C on them from
    /// then on (and whose grants on them, now redundant, are dropped). Versions and the change log
    /// are not touched: ownership, like a grant, is access, recorded in the audit log.
    func removeUser(id: String, transferringTo newOwner: String?, audit: AuditEvent) async throws(StoreError)
        -> Bool

    // MARK: Credentials (API keys and session tokens)

    /// The credential with `id`, or `nil` (expired ones too: the caller checks ``CredentialRecord/expiresAt``).
    func credential(id: String) async throws(StoreError) -> CredentialRecord?
    /// The credentials of a user (by ``UserRecord/id``) of one kind, oldest first.
    func credentials(of userID: String, kind: CredentialRecord.Kind) async throws(StoreError) -> [CredentialRecord]
    /// Stores a new credential and drops the user's session tokens that expired before `credential.createdAt`;
    /// fails with ``StoreError/Code/duplicateKey`` when the id is taken.
    func insertCredential(_ credential: CredentialRecord, audit: AuditEvent?) async throws(StoreError)
    /// Deletes a credential (revocation); `false` when there is none with `id`.
    func removeCredential(id: String, audit: AuditEvent?) async throws(StoreError) -> Bool

    // MARK: Grants

    /// The grants on one entity, in no particular order.
    func grants(on id: String, in collection: CollectionPath) async throws(StoreError) -> [GrantRecord]
    /// The rights the user `userID` was granted on those of `ids` that have a grant for them.
    func grantedRights(of userID: String, on ids: [String], in collection: CollectionPath) async throws(StoreError)
        -> [String: AccessRight]
    /// Grants or changes a right: one grant per user and entity. A changed grant keeps its id and
    /// takes the new right, ``GrantRecord/grantedBy`` and ``GrantRecord/grantedAt``. Returns the stored grant.
    ///
    /// Fails with ``StoreError/Code/notFound``, storing neither the grant nor `audit`, when there is no
    /// entity `grant.entityID` in `grant.collection` when the change commits: the store checks that
    /// atomically with the write, so a delete committing concurrently either runs after the grant is
    /// stored (and deletes it with the entity, as ``EntityWrite/delete(id:collection:expectedVersion:)``
    /// does with every grant on what it deletes) or before (and this call fails). A grant thus never
    /// outlives its entity, and an entity inserted later under the same id starts without grants.
    func saveGrant(_ grant: GrantRecord, audit: AuditEvent) async throws(StoreError) -> GrantRecord
    /// Revokes the grant of user `userID` on one entity; `false` when there was none.
    func removeGrant(on id: String, in collection: CollectionPath, from userID: String, audit: AuditEvent)
        async throws(StoreError) -> Bool

    // MARK: Audit log

    /// Appends one event on its own (e.g. a failed login).
    func appendAudit(_ event: AuditEvent) async throws(StoreError)
    /// Events with a sequence number greater than `sequence`, oldest first, at most `limit`.
    func auditEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEvent]
}

/// A user account.
///
/// The ``id`` is the account's identity: it is what ``Entity/createdBy``, grants, credentials and
/// idempotency keys hold. It is never given to another account, so a user removed and added again
/// under the same name is a new account that starts with no rights. The name is how people (and
/// sign-in, the sharing list and the audit log) refer to the account.
public struct UserRecord: Sendable, Hashable {
    /// `USR-` and 32 hex digits, random; never reused.
    public var id: String
    public var name: String
    /// The bcrypt hash of the password; `nil` for a user who signs in with API keys only.
    public var passwordHash: String?
    public var isAdmin: Bool
    public var createdAt: Date

    public init(id: String, name: String, passwordHash: String?, isAdmin: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }
}

/// An API key or a session token: an id sent in the clear and a secret kept only as its hash.
public struct CredentialRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Sent as `Authorization: ApiKey <id>:<secret>`; valid until revoked.
        case apiKey = "api-key"
        /// Sent as `Authorization: Bearer <id>.<secret>`; issued by a login, valid until it expires or the
        /// user logs out.
        case session
    }

    public var id: String
    public var kind: Kind
    /// The ``UserRecord/id`` of the credential's user.
    public var userID: String
    /// The lowercase hex SHA-256 of the secret.
    public var secretHash: String
    /// A name given by its owner, e.g. `ci`.
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date?

    public init(
        id: String,
        kind: Kind,
        userID: String,
        secretHash: String,
        label: String? = nil,
        createdAt: Date,
        expiresAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.userID = userID
        self.secretHash = secretHash
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// One user's right on one entity, given by someone who holds ``AccessRight/creator`` on it.
public struct GrantRecord: Sendable, Hashable {
    public var id: String
    public var collection: CollectionPath
    public var entityID: String
    /// The ``UserRecord/id`` of the grantee.
    public var userID: String
    /// Never ``AccessRight/creator``: that right belongs to the creator alone.
    public var right: AccessRight
    /// The name of the user who granted it (as the audit log keeps it).
    public var grantedBy: String?
    public var grantedAt: Date

    public init(
        id: String,
        collection: CollectionPath,
        entityID: String,
        userID: String,
        right: AccessRight,
        grantedBy: String?,
        grantedAt: Date
    ) {
        self.id = id
        self.collection = collection
        self.entityID = entityID
        self.userID = userID
        self.right = right
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }
}

/// One line of the audit log: who did what to whom, when.
public struct AuditEvent: Sendable, Hashable {
    /// Strictly increasing, assigned by the store (pass 0 when appending).
    public var sequence: Int64
    public var at: Date
    /// What happened, e.g. `grant`, `revoke`, `key.create`, `key.revoke`, `login.failed`, `user.add`.
    public var action: String
    /// The name of the user who did it (`nil` when anonymous, e.g. a failed login). The audit log
    /// keeps names, as they were when it happened.
    public var actor: String?
    /// The user it concerns (the grantee, the key's owner, the name a login tried).
    public var subject: String?
    /// What it concerns: an entity (`products/PRD-1`) or a credential id.
    public var target: String?
    /// More about it, never a secret: a right code, a client address.
    public var detail: String?

    public init(
        sequence: Int64 = 0,
        at: Date,
        action: String,
        actor: String?,
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
