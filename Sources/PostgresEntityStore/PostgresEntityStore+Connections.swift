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
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        let timeout = configuration.connectionWaitTimeout
        let lease = LockedValue(LeasePhase.waiting)
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        let started = lease.withLock { phase in
                            guard phase == .waiting else { return false }
                            phase = .started
                            return true
                        }
                        guard started else { throw Self.noConnection(after: timeout) }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    let expired = lease.withLock { phase in
                        guard phase == .waiting else { return false }
                        phase = .expired
                        return true
                    }
                    if expired { throw Self.noConnection(after: timeout) }
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                }
                throw Self.noConnection(after: timeout)
            }
        } catch {
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

/// How far a call of ``PostgresEntityStore/withConnection(_:)`` got: it either starts its work or
/// times out waiting for a connection, never both.
private enum LeasePhase: Sendable {
    case waiting, started, expired
}
