import Synchronization

/// Tells its subscribers that the change log may have grown: a store signals after each write it
/// commits (and the PostgreSQL store also when another process commits one). Signals carry nothing
/// and coalesce: a subscriber that has not yet looked finds one pending signal, however many came.
///
/// ```swift
/// for await _ in store.changeSignal.subscribe() {
///     let head = try await store.feedHead(of: readers)   // look what changed
/// }
/// ```
public final class ChangeSignal: Sendable {
    private let subscribers = Mutex<(next: Int, continuations: [Int: AsyncStream<Void>.Continuation])>((0, [:]))

    public init() {}

    /// A stream of signals until the subscriber stops iterating it (or the task is cancelled).
    public func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = subscribers.withLock { state in
            state.next += 1
            state.continuations[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every subscriber.
    public func signal() {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield() }
    }

    /// How many subscribe now.
    public var subscriberCount: Int { subscribers.withLock { $0.continuations.count } }
}
