/// What one ``SyncClient/sync()`` did.
public struct SyncReport: Sendable, Hashable {
    /// A local write the server refused: it was rolled back to the server's state.
    public struct Rejection: Sendable, Hashable {
        public let collection: String
        public let id: String
        /// The server's status and message, e.g. `403` and `you may not update notes 'N1'`.
        public let status: Int
        public let message: String
    }

    /// An attached file sent to the server before the push.
    public struct FileUpload: Sendable, Hashable {
        public let sha256: String
        public let size: Int64
        /// The offset the upload started from: `0`, or where an interrupted upload had stopped.
        public let resumedAt: Int64
    }

    /// An attached file the server refused for good (e.g. `413` over its size limit); a change that
    /// refers to it is then refused too, and rolled back.
    public struct FailedUpload: Sendable, Hashable {
        public let sha256: String
        /// The server's status (`0` when the local copy was gone) and message.
        public let status: Int
        public let message: String
    }

    /// Files uploaded, and files the server refused.
    public internal(set) var uploads: [FileUpload] = []
    public internal(set) var failedUploads: [FailedUpload] = []
    /// Local changes sent.
    public internal(set) var pushed = 0
    /// Of those: written as made, merged with others' changes, or with conflicts.
    public internal(set) var applied = 0
    public internal(set) var merged = 0
    /// The conflicts met, each already resolved as `onConflict` decided.
    public internal(set) var conflicts: [SyncClient.Conflict] = []
    public internal(set) var rejected: [Rejection] = []
    /// Server changes taken in, and local copies removed (deleted on the server, or no longer shared).
    public internal(set) var pulled = 0
    public internal(set) var removed = 0
    /// Local copies of files removed because no local entity refers to them any more.
    public internal(set) var filesRemoved = 0
}
