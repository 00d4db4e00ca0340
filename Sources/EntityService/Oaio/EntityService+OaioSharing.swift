import Crypto
import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// A subscription as `subscribe/` answers it.
public struct OaioSubscription: Sendable, Hashable {
    /// The subscription's number (`Pid`): positive, the same for the same user and object.
    public var number: Int64
    public var user: String
    /// The right now held; `nil` after an unsubscription.
    public var right: AccessRight?
}

extension EntityService {
    /// Subscribes the user named `user` to object `id` with the right `code` (`D`, `U` or `r`; `x`
    /// unsubscribes; the newer spellings such as `DaR` mean the same), or changes their right.
    ///
    /// Needs ``AccessRight/delete`` on the object (admins hold every right). A user that does not
    /// exist is created, without a password, when an admin subscribes them; for anyone else it is
    /// ``EntityError/Code/notFound``. The creator's right cannot be changed.
    public func oaioSubscribe(_ id: String, user: String, right code: String, as caller: Caller)
        async throws(EntityError) -> OaioSubscription
    {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in to share objects") }
        let collection = Self.oaioCollection
        let declaration = try collectionSchema(collection)
        let revoking = code.first == "x"
        let right = AccessRight(code: code)
        guard revoking || right != nil else {
            throw EntityError(.validationFailed, "access_right: expected D, U, r or x, found '\(code.prefix(20))'")
        }
        guard right != .creator else {
            throw EntityError(.validationFailed, "access_right: C belongs to the creator alone; grant D, U or r")
        }
        let (entity, _) = try await oaioEntity(id, needing: .delete, as: caller, in: declaration)
        var grantee = try await storeCall { () async throws(StoreError) in try await store.user(named: user) }
        if grantee == nil, !revoking {
            guard caller.isAdmin else { throw EntityError(.notFound, "user '\(user)' does not exist") }
            grantee = try await accounts.addUser(name: user, password: nil, isAdmin: false, as: caller)
        }
        guard let grantee else { throw EntityError(.notFound, "user '\(user)' does not exist") }
        guard entity.createdBy != grantee.id else {
            throw EntityError(
                .invalidRequest,
                "'\(user)' created oaio object '\(id)' and holds C on it; the creator unregisters the object instead"
            )
        }
        let number = Self.subscriptionNumber(of: grantee.id, on: id)
        if let right {
            _ = try await grant(right, to: user, on: id, in: collection, as: caller, sharing: .delete)
        } else {
            do {
                try await revokeGrant(from: user, on: id, in: collection, as: caller, sharing: .delete)
            } catch  where error.code == .notFound {
                // Not subscribed: nothing to revoke, as asked.
            }
        }
        return OaioSubscription(number: number, user: grantee.name, right: right)
    }

    /// Every user with their right on object `id` (`nil`: none), sorted by right then name: what
    /// `user_subz/` lists. An object that does not exist, or that the caller cannot read, lists every
    /// user without a right.
    public func oaioSubscribers(of id: String, as caller: Caller) async throws(EntityError) -> [AccessEntry] {
        try await accessList(on: id, in: Self.oaioCollection, as: caller, listing: .read)
    }

    /// Removes the account named `user` with its sessions, keys and grants, and deletes the oaio
    /// objects they created, with their files (their subscribers' feeds get deletions). An admin may
    /// wipe anyone; other users themselves only.
    public func oaioWipeUser(_ user: String, as caller: Caller) async throws(EntityError) {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in to wipe a user") }
        guard caller.isAdmin || caller.userName == user else {
            throw EntityError(.forbidden, "only an admin or '\(user)' may wipe '\(user)'")
        }
        let account = try await accounts.existingUser(user)
        let collection = Self.oaioCollection
        let created = Filter.compare(FieldPath([Entity.metaKey, "createdBy"]), .eq, .json(.string(account.id)))
        while true {
            let query = Query(filter: created, sort: [SortKey(FieldPath(["id"]))], limit: 500, countsTotal: false)
            let page = try await storeCall { () async throws(StoreError) in try await store.query(query, in: collection)
            }
            guard !page.entities.isEmpty else { break }
            let deletes = page.entities.map { BatchOperation.delete(id: $0.id, expectedVersion: nil) }
            _ = try await performEach(deletes, in: collection, as: caller)
        }
        if caller.isAdmin {
            try await accounts.removeUser(user, as: caller)
        } else {
            try await accounts.removeOwnAccount(as: caller)
        }
    }

    /// A positive number, stable for one user and object (48 bits of a SHA-256 of both).
    static func subscriptionNumber(of userID: String, on id: String) -> Int64 {
        let digest = SHA256.hash(data: Array((userID + "\u{0}" + id).utf8))
        let number = digest.prefix(6).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        return max(number, 1)
    }
}
