import EntityModel
import EntityStore
import Foundation
import PostgresEntityStore
import Testing

@Suite struct UnavailableTests {
    /// Takes about 67 s: postgres-nio's pool fails waiting requests only when its circuit breaker trips
    /// after a minute of failed connection attempts. Runs when `ENTITYHUB_SLOW_TESTS` is set.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ENTITYHUB_SLOW_TESTS"] != nil))
    func anUnreachableServerIsReportedAsUnavailable() async throws {
        let store = try PostgresEntityStore(url: "postgres://nobody@127.0.0.1:1/none")
        let running = RunningStores()
        running.start(store)
        defer { running.stopAll() }
        await #expect {
            _ = try await store.get("A", in: products)
        } throws: { error in
            (error as? StoreError)?.code == .unavailable
        }
    }

    @Test func aMalformedURLIsRejected() {
        #expect(throws: StoreError.self) { try PostgresEntityStore(url: "mysql://x@y/z") }
    }
}
