import EntityModel
import EntityStore
import Foundation

extension Accounts {
    /// The name of the admin user made on first start.
    public static let bootstrapAdmin = "admin"

    /// Makes sure an admin can sign in: on a store without users, creates the user ``bootstrapAdmin``
    /// with an API key, and returns that key (`<id>:<secret>`) to show once.
    ///
    /// With `adminKey` (`<id>:<secret>`, from `ENTITYHUB_ADMIN_KEY`) that key is used instead and made
    /// to exist on every start (re-created when missing or changed), and nothing is returned. Safe when
    /// several servers start at once on one database.
    public func bootstrap(adminKey: String?) async throws(EntityError) -> String? {
        if let adminKey {
            let (id, secret) = Self.split(adminKey, at: ":")
            guard !id.isEmpty, !secret.isEmpty, !id.contains(" ") else {
                throw EntityError(.invalidRequest, "ENTITYHUB_ADMIN_KEY: expected <id>:<secret>")
            }
            try await ensureBootstrapAdmin()
            try await ensureKey(id: id, secret: secret)
            return nil
        }
        guard try await storeCall({ () async throws(StoreError) in try await store.users() }).isEmpty else {
            return nil
        }
        try await ensureBootstrapAdmin()
        let key = Secrets.identifier(prefix: "KEY-")
        return try await issueKey(
            id: key,
            secret: Secrets.random(),
            for: try await existingUser(Self.bootstrapAdmin),
            label: "bootstrap",
            by: nil
        )
        .key
    }

    private func ensureBootstrapAdmin() async throws(EntityError) {
        let name = Self.bootstrapAdmin
        guard try await storeCall({ () async throws(StoreError) in try await store.user(named: name) }) == nil else {
            return
        }
        let admin = UserRecord(id: Self.makeUserID(), name: name, passwordHash: nil, isAdmin: true, createdAt: now)
        let event = AuditEvent(at: now, action: "user.add", actor: nil, subject: name, detail: Role.admin)
        do {
            try await storeCall { () async throws(StoreError) in try await store.insertUser(admin, audit: event) }
        } catch  where error.code == .duplicateID {
            // Another server made it at the same moment.
        }
    }

    /// Makes the API key `id` exist with `secret` for the bootstrap admin.
    private func ensureKey(id: String, secret: String) async throws(EntityError) {
        let admin = try await existingUser(Self.bootstrapAdmin)
        let existing = try await storeCall { () async throws(StoreError) in try await store.credential(id: id) }
        if let existing {
            let current =
                existing.kind == .apiKey && existing.userID == admin.id
                && Secrets.matches(secret, storedHash: existing.secretHash)
            if current { return }
            cache.remove(credential: id)
            _ = try await storeCall { () async throws(StoreError) in
                try await store.removeCredential(id: id, audit: nil)
            }
        }
        do {
            _ = try await issueKey(
                id: id,
                secret: secret,
                for: admin,
                label: "ENTITYHUB_ADMIN_KEY",
                by: nil
            )
        } catch  where error.code == .duplicateID {
            // Another server made it at the same moment.
        }
    }
}
