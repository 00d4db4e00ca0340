import EntityStore
import PostgresNIO

extension StoreError {
    /// Maps any error met at the database boundary to a ``StoreError``; SQL text never leaves.
    init(postgres error: any Error, index: Int? = nil) {
        if let error = error as? StoreError {
            self = error
            return
        }
        if error is CancellationError {
            self.init(.unavailable, "the database request was cancelled; retry later", index: index)
            return
        }
        // The pool's errors (`_ConnectionPoolModule.ConnectionPoolError`: its circuit breaker tripped after
        // a minute of failed connection attempts, the pool shut down) all mean the server is out of reach.
        if String(reflecting: type(of: error)).hasSuffix(".ConnectionPoolError") {
            self.init(.unavailable, "the database cannot be reached; retry later", index: index)
            return
        }
        guard let error = error as? PSQLError else {
            self.init(.internal, "Postgres store: \(type(of: error)): \(error)", index: index)
            return
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            self.init(.unavailable, "the database cannot be reached (\(error.code)); retry later", index: index)
            return
        }
        let message = error.serverInfo?[.message] ?? "no message"
        switch state {
        case "23505":
            self.init(.duplicateID, "an entity with this id already exists", index: index)
        case "40001", "40P01", "55P03", "57014":
            self.init(.unavailable, "the database is busy (SQLSTATE \(state)); retry later", index: index)
        case _ where state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57"):
            self.init(.unavailable, "the database is unavailable (SQLSTATE \(state)); retry later", index: index)
        default:
            self.init(.internal, "Postgres error \(state): \(message)", index: index)
        }
    }

    /// Whether `error` is a unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}
