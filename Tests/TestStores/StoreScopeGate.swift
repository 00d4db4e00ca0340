/// At most ``limit`` PostgreSQL test scopes (``TestDatabase/withStores(_:)`` and its kin) at once.
///
/// Swift Testing runs every suite at the same time: a hundred scopes, each with its own connection
/// pool, exhausted the server's `max_connections` ("too many clients"), and the connection attempts
/// that failed until their wait timed out made tests fail as if the database were down. Waiting
/// here instead keeps every test's connections within what the server takes.
actor StoreScopeGate {
    static let shared = StoreScopeGate(limit: 12)

    private let limit: Int
    private var open = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether the current task is inside a scope already: a scope opened inside one (a test that
    /// nests them) passes at once, so nested scopes can never wait for each other.
    @TaskLocal private static var isInside = false

    /// Runs `body` once fewer than ``limit`` other scopes are open.
    nonisolated func withScope<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if Self.isInside { return try await body() }
        await enter()
        do {
            let result = try await Self.$isInside.withValue(true) { try await body() }
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        guard open >= limit else {
            open += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            open -= 1
        } else {
            // The scope passes to the next in line: `open` stays the same.
            waiting.removeFirst().resume()
        }
    }
}
