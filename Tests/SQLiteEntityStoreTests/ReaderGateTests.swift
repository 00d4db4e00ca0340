import EntityModel
import EntityQuery
import EntityStore
import Foundation
import Testing

@testable import SQLiteEntityStore

@Suite struct ReaderGateTests {
    @Test func theGateAdmitsAsManySynchronousReadsAsThereAreReaders() {
        let gate = ReaderGate(readers: 2)
        #expect(gate.tryEnter() && gate.tryEnter())
        #expect(!gate.tryEnter())
        gate.leave()
        #expect(gate.tryEnter())
        gate.enter()  // asynchronous reads always enter, and close the gate to synchronous ones
        gate.leave()
        gate.leave()
        #expect(gate.tryEnter())
    }

    /// Reads by id (on the calling thread) mixed with queries (asynchronous) on more tasks than
    /// readers: once deadlocked the whole process with every Swift concurrency thread waiting for a
    /// reader that only a suspended query could give back. A watchdog thread ends the process rather
    /// than letting the test run hang.
    @Test func readsByIDAndQueriesOnMoreTasksThanReadersNeverDeadlock() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ReaderGateTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteEntityStore(
            path: directory.appendingPathComponent("store.sqlite").path,
            configuration: .init(maximumReaderCount: 2, entityCacheSize: 0)
        )
        let ids = (0..<100).map { "E\($0)" }
        try await store.apply(ids.map { .insert(entity($0, ["n": .integer(1)])) })
        let finished = LockedFlag()
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: 120)
            if !finished.isSet {
                FileHandle.standardError.write(Data("ReaderGateTests: deadlocked reading the store\n".utf8))
                exit(1)
            }
        }
        watchdog.start()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<400 {
                group.addTask {
                    if round.isMultiple(of: 2) {
                        _ = try await store.get(ids[round % ids.count], in: products)
                    } else {
                        _ = try await store.query(Query(limit: 10), in: products)
                    }
                }
            }
            try await group.waitForAll()
        }
        finished.set()
        #expect(try await store.get("E7", in: products) != nil)
    }
}

/// A flag the watchdog thread reads.
private final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
