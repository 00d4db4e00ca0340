import Foundation
import PostgresEntityStore

/// The tasks running the connection pools of the stores a test made; cancelled when the test ends.
final class RunningStores: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func start(_ store: PostgresEntityStore) {
        let task = Task { await store.run() }
        lock.lock()
        tasks.append(task)
        lock.unlock()
    }

    func stopAll() {
        lock.lock()
        let running = tasks
        tasks = []
        lock.unlock()
        for task in running { task.cancel() }
    }
}
