import EntityModel
import EntityService
import EntityStore

/// The JSON forms of users, keys, grants, sharing lists and audit events (see the README's API section).
/// No secret is ever part of them, except the one answer that creates a key or a session.
enum AccountJSON {
    static func user(_ user: UserRecord) -> JSON {
        .object([
            "id": .string(user.id),
            "name": .string(user.name),
            "role": .string(user.isAdmin ? Role.admin : Role.user),
            "created_at": .string(Timestamp.format(user.createdAt)),
        ])
    }

    /// An API key of the user named `userName`.
    static func key(_ key: CredentialRecord, userName: String) -> JSON {
        .object([
            "id": .string(key.id),
            "user": .string(userName),
            "user_id": .string(key.userID),
            "label": key.label.map(JSON.string) ?? .null,
            "created_at": .string(Timestamp.format(key.createdAt)),
        ])
    }

    static func issuedKey(_ issued: IssuedKey, userName: String) -> JSON {
        var members = key(issued.record, userName: userName).objectValue ?? [:]
        members["key"] = .string(issued.key)
        members["authorization"] = .string("ApiKey \(issued.key)")
        return .object(members)
    }

    static func session(_ session: Session) -> JSON {
        .object([
            "token": .string(session.token),
            "token_type": .string("Bearer"),
            "expires_at": .string(Timestamp.format(session.expiresAt)),
            "user": user(session.user),
        ])
    }

    /// A grant to the user named `userName`.
    static func grant(_ grant: GrantRecord, userName: String) -> JSON {
        .object([
            "id": .string(grant.id),
            "entity": .string("\(grant.collection.rawValue)/\(grant.entityID)"),
            "user": .string(userName),
            "user_id": .string(grant.userID),
            "right": .string(grant.right.rawValue),
            "granted_by": grant.grantedBy.map(JSON.string) ?? .null,
            "granted_at": .string(Timestamp.format(grant.grantedAt)),
        ])
    }

    static func accessEntry(_ entry: AccessEntry) -> JSON {
        .object([
            "user": .string(entry.user),
            "right": entry.right.map { .string($0.rawValue) } ?? .null,
            "grant_id": entry.grantID.map(JSON.string) ?? .null,
        ])
    }

    static func auditEvent(_ event: AuditEvent) -> JSON {
        .object([
            "sequence": .integer(event.sequence),
            "at": .string(Timestamp.format(event.at)),
            "action": .string(event.action),
            "actor": event.actor.map(JSON.string) ?? .null,
            "subject": event.subject.map(JSON.string) ?? .null,
            "target": event.target.map(JSON.string) ?? .null,
            "detail": event.detail.map(JSON.string) ?? .null,
        ])
    }
}
