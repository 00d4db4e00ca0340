import EntityModel
import Foundation

/// What a write request made with an idempotency key did, kept so that a retry of the same request is
/// answered from it instead of writing a second time.
///
/// The record is written in the same transaction as the request's writes: either both are stored, or
/// neither is.
public struct IdempotencyRecord: Sendable, Hashable {
    /// The key, already scoped to its caller by the service.
    public var key: String
    /// A digest of the request (method, path and body): a retry must match it exactly.
    public var fingerprint: String
    /// The collection the request wrote to.
    public var collection: CollectionPath
    /// The id of each entity the request wrote, in the order of its answer.
    public var ids: [String]
    /// When the request was first answered; records expire after a retention period.
    public var createdAt: Date

    public init(key: String, fingerprint: String, collection: CollectionPath, ids: [String], createdAt: Date) {
        self.key = key
        self.fingerprint = fingerprint
        self.collection = collection
        self.ids = ids
        self.createdAt = createdAt
    }
}
