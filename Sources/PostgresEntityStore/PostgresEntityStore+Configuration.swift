extension PostgresEntityStore {
    /// Options of a ``PostgresEntityStore`` beyond the connection itself.
    public struct Configuration: Sendable {
        /// The schema holding the store's tables, set as the connections' `search_path` and created
        /// on first use when missing; `nil` (the default) uses the server's `search_path` (`public`).
        /// Several stores can share one database in separate schemas.
        public var schema: String?
        /// The deepest nesting of stored JSON values that reads accept (default 512).
        public var maximumJSONDepth: Int

        public init(schema: String? = nil, maximumJSONDepth: Int = 512) {
            self.schema = schema
            self.maximumJSONDepth = maximumJSONDepth
        }
    }
}
