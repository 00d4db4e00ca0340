import EntityModel

/// One write of a batch given to ``EntityService/perform(_:in:as:idempotencyKey:)`` or
/// ``EntityService/performEach(_:in:as:)``.
public enum BatchOperation: Sendable, Hashable {
    /// Creates an entity from a JSON object; its `id` member, if any, is the id to use.
    case create(JSON)
    /// Sets the given top-level fields of entity `id` (a `null` member stores `null`).
    case update(id: String, fields: JSON, expectedVersion: Int64? = nil)
    /// Applies an RFC 7396 merge patch to entity `id` (a `null` member removes the field).
    case mergePatch(id: String, patch: JSON, expectedVersion: Int64? = nil)
    /// Replaces all the values of entity `id` by those of the JSON object `document` (whose `id`
    /// member, if any, must be `id`); the entity keeps its id, creation time and creator.
    case replace(id: String, document: JSON, expectedVersion: Int64? = nil)
    /// Deletes entity `id`.
    case delete(id: String, expectedVersion: Int64? = nil)

    /// The version the operation expects the entity to be at (`If-Match`), if any.
    public var expectedVersion: Int64? {
        switch self {
        case .create: return nil
        case .update(_, _, let version), .mergePatch(_, _, let version), .replace(_, _, let version),
            .delete(_, let version):
            return version
        }
    }
}

extension BatchOperation {
    /// The id of the stored entity the operation changes (nil for creates).
    var storedTargetID: String? {
        switch self {
        case .create: return nil
        case .update(let id, _, _), .mergePatch(let id, _, _), .replace(let id, _, _), .delete(let id, _): return id
        }
    }

    var targetID: String? {
        switch self {
        case .create(let document): return document["id"]?.stringValue
        case .update(let id, _, _), .mergePatch(let id, _, _), .replace(let id, _, _), .delete(let id, _): return id
        }
    }
}
