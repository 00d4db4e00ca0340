import EntityModel
import EntityStore
import Foundation
import TestStores
import Testing

@testable import PostgresEntityStore

@Suite struct UnavailableTests {
    @Test func anUnreachableServerIsReportedAsUnavailableWithinTheWaitTimeout() async throws {
        let store = try PostgresEntityStore(
            url: "postgres://nobody@127.0.0.1:1/none",
            configuration: .init(connectionWaitTimeout: .milliseconds(300)),
            logger: TestDatabase.quietLogger
        )
        let running = RunningStores()
        running.start(store)
        defer { running.stopAll() }
        let started = ContinuousClock.now
        for attempt in 0..<3 {
            await #expect("attempt \(attempt)") {
                _ = try await store.get("A", in: products)
            } throws: { error in
                (error as? StoreError)?.code == .unavailable
            }
        }
        // Without the wait timeout each call would wait for the pool's circuit breaker (a minute each);
        // the bound leaves room for a machine busy with every other suite.
        #expect(started.duration(to: .now) < .seconds(45))
    }

    @Test func aMalformedURLIsRejected() {
        #expect(throws: StoreError.self) { try PostgresEntityStore(url: "mysql://x@y/z") }
        #expect(throws: StoreError.self) { try PostgresEntityStore(url: "postgres://x@y/z?sslmode=verify-full") }
    }
}
