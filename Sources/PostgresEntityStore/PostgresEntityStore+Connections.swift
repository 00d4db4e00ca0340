import EntityStore
import Logging
import PostgresNIO

extension PostgresEntityStore {
    /// Runs `body` on one pooled connection.
    ///
    /// Fails with ``StoreError/Code/unavailable`` when the pool hands out no connection within
    /// ``Configuration/connectionWaitTimeout``: while PostgreSQL is down the pool keeps reconnecting in
    /// the background, and callers get a quick, clear error instead of waiting for its circuit breaker.
    /// Once `body` has its connection, it runs to the end: no query is cut off halfway.
    ///
    /// The wait runs in a task of its own that ``LeaseWatchdog`` (run by ``run()``) cancels when it is
    /// overdue; the caller awaits it at once and cancelling the caller cancels it. A timer per call
    /// would cost a third of the rate of reads by id.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        let lease = LeaseWatchdog.Lease()
        let work = Task {
            try await client.withConnection { connection in
                guard lease.start() else { throw LeaseWatchdog.overdue }
                return try await body(connection)
            }
        }
        watchdog.watch(lease, deadline: .now + configuration.connectionWaitTimeout) { work.cancel() }
        defer { watchdog.forget(lease) }
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch {
            if lease.isExpired { throw Self.noConnection(after: configuration.connectionWaitTimeout) }
            throw StoreError(postgres: error)
        }
    }

    private static func noConnection(after timeout: Duration) -> StoreError {
        StoreError(.unavailable, "no database connection within \(timeout); the database may be down; retry later")
    }

    /// Runs one statement on a pooled connection and collects its rows.
    func rows(_ query: PostgresQuery) async throws(StoreError) -> [PostgresRow] {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }
}
