import EntityModel
import Foundation

/// What a sync push stores beside its writes, in the same transaction: the answer to each mutation
/// (so a retried push is answered from it) and the conflicts it found.
public struct WriteRecords: Sendable, Hashable {
    /// The request's idempotency record, if it was made with a key.
    public var idempotency: IdempotencyRecord?
    /// One receipt per pushed mutation that was decided (not the replayed ones).
    public var receipts: [SyncReceipt]
    /// Conflicts found while merging.
    public var conflicts: [SyncConflict]
    /// Ids of conflicts this write resolves: removed in the transaction; a missing one fails it with
    /// ``StoreError/Code/notFound`` (resolved meanwhile by someone else).
    public var resolvedConflicts: [String]
    /// Stamps of versions the writes make (``VersionStamp``), each stored after the writes; older
    /// stamps of the entity beyond ``VersionStamp/kept`` are dropped.
    public var stamps: [VersionStamp]

    public init(
        idempotency: IdempotencyRecord? = nil,
        receipts: [SyncReceipt] = [],
        conflicts: [SyncConflict] = [],
        resolvedConflicts: [String] = [],
        stamps: [VersionStamp] = []
    ) {
        self.idempotency = idempotency
        self.receipts = receipts
        self.conflicts = conflicts
        self.resolvedConflicts = resolvedConflicts
        self.stamps = stamps
    }

    /// Whether there is nothing to store.
    public var isEmpty: Bool {
        idempotency == nil && receipts.isEmpty && conflicts.isEmpty && resolvedConflicts.isEmpty && stamps.isEmpty
    }
}

/// The stored answer to one pushed mutation, keyed by (user, device, mutation id).
public struct SyncReceipt: Sendable, Hashable {
    /// The pusher's ``UserRecord/id``.
    public var userID: String
    public var device: String
    /// The mutation id the device gave.
    public var mutationID: String
    /// A digest of the mutation: the same id with another body is refused.
    public var fingerprint: String
    /// The answer, as JSON text (the service's encoding).
    public var result: String
    public var createdAt: Date

    public init(
        userID: String,
        device: String,
        mutationID: String,
        fingerprint: String,
        result: String,
        createdAt: Date
    ) {
        self.userID = userID
        self.device = device
        self.mutationID = mutationID
        self.fingerprint = fingerprint
        self.result = result
        self.createdAt = createdAt
    }
}

/// A pushed edit that could not be applied as it was, kept until someone resolves it.
public struct SyncConflict: Sendable, Hashable {
    /// Why the edit was not applied.
    public enum Reason: String, Sendable, Hashable {
        /// The key was changed on the server since the client's base, to another value.
        case changed
        /// The entity was deleted (or never existed): the client's values are kept in ``client``.
        case deleted
        /// A delete of an entity changed since the client's base: the entity stays.
        case deleteChanged = "delete-changed"
    }

    public var id: String
    public var collection: CollectionPath
    public var entityID: String
    /// The top-level key, or `nil` for a conflict about the whole entity.
    public var key: String?
    public var reason: Reason
    /// The value the client started from, the stored value and the client's value; `nil` when absent.
    public var base: JSON?
    public var server: JSON?
    public var client: JSON?
    /// The pusher's ``UserRecord/id`` and device.
    public var userID: String
    public var device: String
    public var createdAt: Date

    public init(
        id: String,
        collection: CollectionPath,
        entityID: String,
        key: String?,
        reason: Reason,
        base: JSON?,
        server: JSON?,
        client: JSON?,
        userID: String,
        device: String,
        createdAt: Date
    ) {
        self.id = id
        self.collection = collection
        self.entityID = entityID
        self.key = key
        self.reason = reason
        self.base = base
        self.server = server
        self.client = client
        self.userID = userID
        self.device = device
        self.createdAt = createdAt
    }
}
