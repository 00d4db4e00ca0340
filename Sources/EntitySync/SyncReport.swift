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
}
