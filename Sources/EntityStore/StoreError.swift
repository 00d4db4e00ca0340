/// An error of a storage backend, free of database details fit to show a client.
///
/// Backends map their native errors (`SQLITE_CONSTRAINT`, SQLSTATE 23505, lost connections) to it at
/// their boundary.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// An insert found an entity with the same id.
        case duplicateID
        /// An idempotency record with the same key exists already.
        case duplicateKey
        /// An update or delete expected another version.
        case versionConflict
        /// An update or delete found no entity.
        case notFound
        /// The query cannot be run (e.g. a path or value the backend cannot express).
        case invalidQuery
        /// The database cannot be reached; retrying later may succeed.
        case unavailable
        /// Anything else; the message is for logs, not for clients.
        case `internal`
    }

    public let code: Code
    /// A message for users (for ``Code/internal``: for logs).
    public let message: String
    /// For batch writes: the position in the batch of the write that failed.
    public let index: Int?

    public init(_ code: Code, _ message: String, index: Int? = nil) {
        self.code = code
        self.message = message
        self.index = index
    }

    public var description: String { message }
}
