import EntityModel

/// One write of a batch given to ``EntityService/perform(_:in:as:)``.
public enum BatchOperation: Sendable, Hashable {
    /// Creates an entity from a JSON object; its `id` member, if any, is the id to use.
    case create(JSON)
    /// Sets the given top-level fields of entity `id` (a `null` member stores `null`).
    case update(id: String, fields: JSON, expectedVersion: Int64? = nil)
    /// Applies an RFC 7396 merge patch to entity `id` (a `null` member removes the field).
    case mergePatch(id: String, patch: JSON, expectedVersion: Int64? = nil)
    /// Deletes entity `id`.
    case delete(id: String, expectedVersion: Int64? = nil)

    var expectedVersion: Int64? {
        switch self {
        case .create: return nil
        case .update(_, _, let version), .mergePatch(_, _, let version), .delete(_, let version): return version
        }
    }
}
