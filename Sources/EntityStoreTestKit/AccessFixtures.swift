import EntityModel
import EntityStore
import Foundation

/// The instant `ms` milliseconds after 2023-11-14T22:13:20Z: the timestamps of the access checks.
func accessTime(_ ms: Int64) -> Date {
    date(milliseconds: 1_700_000_000_000 + ms)
}

/// `date` cut to the millisecond, the precision stores keep.
func toMilliseconds(_ date: Date) -> Date {
    EntityStoreTestKit.date(milliseconds: milliseconds(date))
}

/// A user created at `accessTime(ms)`, whose account id is `id` (by default its name: the checks use
/// one string for both, except where they tell the two apart).
func user(
    _ name: String,
    id: String? = nil,
    passwordHash: String? = nil,
    isAdmin: Bool = false,
    ms: Int64 = 0
) -> UserRecord {
    UserRecord(id: id ?? name, name: name, passwordHash: passwordHash, isAdmin: isAdmin, createdAt: accessTime(ms))
}

/// A credential of the user `userID` created at `accessTime(ms)`, expiring at `accessTime(expiresMs)`.
func credential(
    _ id: String,
    _ kind: CredentialRecord.Kind,
    of userID: String,
    label: String? = nil,
    ms: Int64 = 0,
    expiresMs: Int64? = nil
) -> CredentialRecord {
    CredentialRecord(
        id: id,
        kind: kind,
        userID: userID,
        secretHash: "sha256-of-\(id)",
        label: label,
        createdAt: accessTime(ms),
        expiresAt: expiresMs.map(accessTime)
    )
}

/// A grant of `right` to the user `userID` on `entityID`, given at `accessTime(ms)`.
func grant(
    _ id: String,
    on entityID: String,
    in collection: CollectionPath = products,
    to userID: String,
    _ right: AccessRight = .read,
    by grantedBy: String? = "root",
    ms: Int64 = 0
) -> GrantRecord {
    GrantRecord(
        id: id,
        collection: collection,
        entityID: entityID,
        userID: userID,
        right: right,
        grantedBy: grantedBy,
        grantedAt: accessTime(ms)
    )
}

/// An audit event of `action` at `accessTime(ms)`.
func audit(
    _ action: String,
    actor: String? = "root",
    subject: String? = nil,
    target: String? = nil,
    detail: String? = nil,
    ms: Int64 = 0
) -> AuditEvent {
    AuditEvent(at: accessTime(ms), action: action, actor: actor, subject: subject, target: target, detail: detail)
}

extension UserRecord {
    /// The record with its timestamp cut to the millisecond.
    var atMilliseconds: UserRecord {
        var copy = self
        copy.createdAt = toMilliseconds(createdAt)
        return copy
    }
}

extension CredentialRecord {
    /// The record with its timestamps cut to the millisecond.
    var atMilliseconds: CredentialRecord {
        var copy = self
        copy.createdAt = toMilliseconds(createdAt)
        copy.expiresAt = expiresAt.map(toMilliseconds)
        return copy
    }
}

extension GrantRecord {
    /// The record with its timestamp cut to the millisecond.
    var atMilliseconds: GrantRecord {
        var copy = self
        copy.grantedAt = toMilliseconds(grantedAt)
        return copy
    }
}

extension AuditEvent {
    /// The event with its timestamp cut to the millisecond and without its sequence number.
    var withoutSequence: AuditEvent {
        var copy = self
        copy.sequence = 0
        copy.at = toMilliseconds(at)
        return copy
    }
}

extension EntityStore {
    /// The grants on one entity, sorted by user name, timestamps to the millisecond.
    func sortedGrants(on id: String, in collection: CollectionPath = products) async throws -> [GrantRecord] {
        try await grants(on: id, in: collection).map(\.atMilliseconds).sorted { $0.userID < $1.userID }
    }

    /// Every audit event (up to 1000), oldest first, without sequence numbers.
    func allAuditEvents() async throws -> [AuditEvent] {
        try await auditEvents(after: 0, limit: 1000).map(\.withoutSequence)
    }
}
