import EntityModel
import EntityStore
import Foundation
import Logging
import PostgresNIO

/// The statements and row decoding of the access tables (`users`, `credentials`, `grants`,
/// `audit_log`, created by migrations `v3` and `v4`). Every value is a bound parameter.
enum AccessTables {
    // MARK: Times

    /// A time as stored: seconds since Foundation's reference date, which round-trips a `Date` exactly.
    static func stored(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }

    static func date(_ stored: Double) -> Date { Date(timeIntervalSinceReferenceDate: stored) }

    /// Whether `key` holds U+0000, which no text column can hold: such a key matches no row.
    static func isUnstorable(_ key: String) -> Bool { key.utf8.contains(0) }

    // MARK: Users

    static let userColumns = "id, name, password_hash, is_admin, created_at"

    static func user(_ row: PostgresRow) throws -> UserRecord {
        let (id, name, hash, isAdmin, createdAt) = try row.decode((String, String, String?, Bool, Double).self)
        return UserRecord(id: id, name: name, passwordHash: hash, isAdmin: isAdmin, createdAt: date(createdAt))
    }

    // MARK: Credentials

    static let credentialColumns = "id, kind, user_id, secret_hash, label, created_at, expires_at"

    static func credential(_ row: PostgresRow) throws -> CredentialRecord {
        let (id, kind, userID, secretHash, label, createdAt, expiresAt) = try row.decode(
            (String, String, String, String, String?, Double, Double?).self
        )
        guard let kind = CredentialRecord.Kind(rawValue: kind) else {
            throw StoreError(.internal, "credential '\(id)' has an unknown kind '\(kind)'")
        }
        return CredentialRecord(
            id: id,
            kind: kind,
            userID: userID,
            secretHash: secretHash,
            label: label,
            createdAt: date(createdAt),
            expiresAt: expiresAt.map(date)
        )
    }

    // MARK: Grants

    static let grantColumns = "id, collection, entity_id, user_id, right_code, granted_by, granted_at"

    static func grant(_ row: PostgresRow) throws -> GrantRecord {
        let (id, collection, entityID, userID, code, grantedBy, grantedAt) = try row.decode(
            (String, String, String, String, String, String?, Double).self
        )
        return GrantRecord(
            id: id,
            collection: CollectionPath(storageKey: collection),
            entityID: entityID,
            userID: userID,
            right: try right(code, grant: id),
            grantedBy: grantedBy,
            grantedAt: date(grantedAt)
        )
    }

    static func right(_ code: String, grant id: String) throws -> AccessRight {
        guard let right = AccessRight(rawValue: code) else {
            throw StoreError(.internal, "grant '\(id)' has an unknown right '\(code)'")
        }
        return right
    }

    /// Locks the row of the entity `grant` is on, `FOR KEY SHARE` until the transaction ends, so that
    /// no delete of it commits before the grant does (see `PostgresEntityStore.saveGrant`); `false`
    /// when there is no such entity, or it was deleted by a transaction the lock waited for.
    static func lockEntity(of grant: GrantRecord, on connection: PostgresConnection, logger: Logger) async throws
        -> Bool
    {
        let rows = try await connection.query(
            """
            SELECT 1 FROM entities WHERE collection = \(grant.collection.storageKey) \
            AND id = \(grant.entityID) FOR KEY SHARE
            """,
            logger: logger
        ).collect()
        return !rows.isEmpty
    }

    /// Inserts `grant`, or changes the right, grantor and time of the user's grant on the entity (which
    /// keeps its id); its rows are the stored grant.
    static func saveGrant(_ grant: GrantRecord) -> PostgresQuery {
        """
        INSERT INTO grants (id, collection, entity_id, user_id, right_code, granted_by, granted_at) \
        VALUES (\(grant.id), \(grant.collection.storageKey), \(grant.entityID), \(grant.userID), \
        \(grant.right.rawValue), \(grant.grantedBy), \(stored(grant.grantedAt))) \
        ON CONFLICT (collection, entity_id, user_id) DO UPDATE SET right_code = EXCLUDED.right_code, \
        granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at \
        RETURNING \(unescaped: grantColumns)
        """
    }

    // MARK: Audit log

    static let auditColumns = "sequence, at, action, actor, subject, target, detail"

    static func auditEvent(_ row: PostgresRow) throws -> AuditEvent {
        let (sequence, at, action, actor, subject, target, detail) = try row.decode(
            (Int64, Double, String, String?, String?, String?, String?).self
        )
        return AuditEvent(
            sequence: sequence,
            at: date(at),
            action: action,
            actor: actor,
            subject: subject,
            target: target,
            detail: detail
        )
    }

    /// Serializes the transactions that write audit rows, until they commit: each takes the number one
    /// past the last committed one, so numbers are dense and become visible strictly in order. Take it
    /// before the change it audits. A transaction that also locks `changes` takes this lock first, and
    /// `saveGrant` takes it before it locks the entity row (``lockEntity(of:on:logger:)``).
    static func lockAuditLog(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("LOCK TABLE audit_log IN EXCLUSIVE MODE", logger: logger)
    }

    /// Appends `event` (its ``AuditEvent/sequence`` is ignored) under the lock of ``lockAuditLog(_:logger:)``.
    static func append(_ event: AuditEvent, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_log (sequence, at, action, actor, subject, target, detail) \
            SELECT COALESCE(max(sequence), 0) + 1, \(stored(event.at)), \(event.action), \(event.actor), \
            \(event.subject), \(event.target), \(event.detail) FROM audit_log
            """,
            logger: logger
        )
    }

    /// Locks the audit log, runs `change`, and appends `event` when `change` says it changed something.
    static func audited<T>(
        _ event: AuditEvent?,
        on connection: PostgresConnection,
        logger: Logger,
        _ change: () async throws -> (result: T, changed: Bool)
    ) async throws -> T {
        guard let event else { return try await change().result }
        try await lockAuditLog(connection, logger: logger)
        let (result, changed) = try await change()
        if changed { try await append(event, on: connection, logger: logger) }
        return result
    }
}
