/// The progress of one file transfer of a ``SyncClient``: see ``SyncClient/observeFileTransfers(_:)``.
public struct FileTransfer: Sendable, Hashable {
    public enum Direction: Sendable, Hashable {
        /// An attached file going to the server during ``SyncClient/sync()``.
        case upload
        /// A file coming from the server for ``SyncClient/file(_:of:in:)``.
        case download
    }

    public let direction: Direction
    /// The file's SHA-256.
    public let sha256: String
    /// The bytes of the file transferred so far, counted from its start (a resumed transfer starts at
    /// the bytes the other side already held).
    public let completed: Int64
    /// The file's size, when known.
    public let size: Int64?
}
