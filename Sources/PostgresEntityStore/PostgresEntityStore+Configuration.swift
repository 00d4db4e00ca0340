extension PostgresEntityStore {
    /// Options of a ``PostgresEntityStore`` beyond the connection itself.
    public struct Configuration: Sendable {
        /// The schema holding the store's tables, set as the connections' `search_path` and created
        /// on first use when missing; `nil` (the default) uses the server's `search_path` (`public`).
        /// Several stores can share one database in separate schemas.
        public var schema: String?
        /// The deepest nesting of stored JSON values that reads accept (default 512).
        public var maximumJSONDepth: Int
        /// How long a call waits for a pooled connection before it fails with
        /// ``StoreError/Code/unavailable`` (default 5 seconds): the time a client waits for its 503
        /// while PostgreSQL is down, or while every connection stays busy.
        public var connectionWaitTimeout: Duration
        /// How many totals of filtered lists this process keeps exact per collection, write by write,
        /// instead of counting them again (least recently used first out; all processes on the
        /// database adjust all of them). Each costs every write of its collection one term of a count
        /// over the written entities. Default: 32.
        public var keptTotalsPerCollection: Int

        public init(
            schema: String? = nil,
            maximumJSONDepth: Int = 512,
            connectionWaitTimeout: Duration = .seconds(5),
            keptTotalsPerCollection: Int = 32
        ) {
            self.schema = schema
            self.maximumJSONDepth = maximumJSONDepth
            self.connectionWaitTimeout = connectionWaitTimeout
            self.keptTotalsPerCollection = keptTotalsPerCollection
        }
    }
}
