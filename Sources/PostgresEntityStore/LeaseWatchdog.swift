import EntityStore
import Foundation

/// Cancels waits for a pooled connection that are overdue, checking every tenth of a second: one
/// clock for all callers instead of a timer each.
final class LeaseWatchdog: Sendable {
    /// How far one wait for a connection got: it either starts its work or expires, never both.
    final class Lease: Sendable {
        private enum Phase { case waiting, started, expired }
        private let phase = LockedValue(Phase.waiting)

        /// Marks the lease started, unless it has expired.
        func start() -> Bool {
            phase.withLock { phase in
                guard phase == .waiting else { return false }
                phase = .started
                return true
            }
        }

        /// Marks the lease expired, unless it has started.
        func expire() -> Bool {
            phase.withLock { phase in
                guard phase == .waiting else { return false }
                phase = .expired
                return true
            }
        }

        var isExpired: Bool { phase.withLock { $0 == .expired } }
    }

    /// The error a lease that starts after it expired throws.
    static let overdue = StoreError(.unavailable, "no database connection in time")

    private struct Watched: Sendable {
        let lease: Lease
        let deadline: ContinuousClock.Instant
        let cancel: @Sendable () -> Void
    }

    private let watched = LockedValue([ObjectIdentifier: Watched]())

    /// Cancels `lease`'s wait with `cancel` if it has not started by `deadline`.
    func watch(_ lease: Lease, deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
        watched.withLock { $0[ObjectIdentifier(lease)] = Watched(lease: lease, deadline: deadline, cancel: cancel) }
    }

    func forget(_ lease: Lease) {
        _ = watched.withLock { $0.removeValue(forKey: ObjectIdentifier(lease)) }
    }

    /// Checks the watched leases until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            let now = ContinuousClock.now
            let due = watched.withLock { watched in watched.values.filter { $0.deadline <= now } }
            for entry in due where entry.lease.expire() { entry.cancel() }
        }
    }
}
