import Foundation
import PostgresEntityStore

/// The tasks running the connection pools of the stores a test made, and their schemas.
package final class RunningStores: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []
    private var schemas: [String] = []

    package init() {}

    package func start(_ store: PostgresEntityStore, schema: String? = nil) {
        let task = Task { await store.run() }
        lock.lock()
        tasks.append(task)
        if let schema { schemas.append(schema) }
        lock.unlock()
    }

    /// Cancels every pool task; returns the schemas of the stopped stores.
    @discardableResult
    package func stopAll() -> [String] {
        lock.lock()
        let running = tasks
        let made = schemas
        tasks = []
        schemas = []
        lock.unlock()
        for task in running { task.cancel() }
        return made
    }
}
