import EntityStore

/// Runs a store's start-up work (migrations, loading its state) once, before the first operation;
/// callers arriving meanwhile wait for the same run, and a failed run is tried again by the next caller.
actor StartupGate {
    private var running: Task<Void, any Error>?
    private var isDone = false

    func run(_ body: @escaping @Sendable () async throws -> Void) async throws(StoreError) {
        if isDone { return }
        let task = running ?? Task { try await body() }
        running = task
        do {
            try await task.value
            isDone = true
        } catch {
            running = nil
            throw StoreError(postgres: error)
        }
    }
}
