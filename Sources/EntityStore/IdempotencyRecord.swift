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
    /// One element per result of the request, in the order of its answer: the entity it wrote, or
    /// `nil` for a delete.
    public var written: [WrittenEntity?]
    /// When the request was first answered; records expire after a retention period.
    public var createdAt: Date

    public init(
        key: String,
        fingerprint: String,
        collection: CollectionPath,
        written: [WrittenEntity?],
        createdAt: Date
    ) {
        self.key = key
        self.fingerprint = fingerprint
        self.collection = collection
        self.written = written
        self.createdAt = createdAt
    }
}

/// An entity a request wrote, as its idempotency record keeps it: its id, and what tells it from
/// another entity created later under the same id (its creation time and creator).
public struct WrittenEntity: Sendable, Hashable {
    public var id: String
    /// The entity's ``Entity/createdAt`` in milliseconds since 1970; `nil` in records written before
    /// EntityHub kept it.
    public var createdMilliseconds: Int64?
    /// The entity's ``Entity/createdBy``.
    public var createdBy: String?

    public init(id: String, createdMilliseconds: Int64?, createdBy: String?) {
        self.id = id
        self.createdMilliseconds = createdMilliseconds
        self.createdBy = createdBy
    }

    /// The record of `entity` as written.
    public init(_ entity: Entity) {
        self.init(
            id: entity.id,
            createdMilliseconds: Self.milliseconds(entity.createdAt),
            createdBy: entity.createdBy
        )
    }

    /// Whether `entity` (read under ``id``) is the entity that was written, not one deleted and created
    /// again since. Records that kept no creation time cannot tell, and answer `true`.
    public func isSameEntity(as entity: Entity) -> Bool {
        guard entity.id == id else { return false }
        guard let createdMilliseconds else { return true }
        return createdMilliseconds == Self.milliseconds(entity.createdAt) && createdBy == entity.createdBy
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

extension IdempotencyRecord {
    /// ``written`` as the JSON text the stores keep: `[{"id":…,"created":ms,"by":…}, null, …]`.
    public var writtenJSON: String {
        JSON.array(
            written.map { entry in
                guard let entry else { return .null }
                var members: [String: JSON] = ["id": .string(entry.id)]
                if let created = entry.createdMilliseconds { members["created"] = .integer(created) }
                if let by = entry.createdBy { members["by"] = .string(by) }
                return .object(members)
            }
        )
        .serialized()
    }

    /// Reads ``writtenJSON``; a plain string element (records of earlier versions) is an id alone.
    public static func written(fromJSON text: String) -> [WrittenEntity?] {
        guard let elements = (try? JSON(parsing: text))?.arrayValue else { return [] }
        return elements.map { element in
            if let id = element.stringValue {
                return WrittenEntity(id: id, createdMilliseconds: nil, createdBy: nil)
            }
            guard case .object(let members) = element, let id = members["id"]?.stringValue else { return nil }
            var created: Int64?
            if case .integer(let milliseconds) = members["created"] { created = milliseconds }
            return WrittenEntity(
                id: id,
                createdMilliseconds: created,
                createdBy: members["by"]?.stringValue
            )
        }
    }
}
