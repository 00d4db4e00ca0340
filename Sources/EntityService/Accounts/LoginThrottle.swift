import EntityStore
import Foundation

/// Counts failed logins per user name and per client address, and turns further attempts away for
/// the rest of the window once either has failed too often.
///
/// It is kept in memory per process and holds at most ``capacity`` counters: when full, expired
/// windows are dropped first, then the oldest.
final class LoginThrottle: Sendable {
    /// Failures allowed in one window before attempts are refused.
    let limit: Int
    let window: TimeInterval
    let capacity: Int
    private let counters = LockedValue<[String: Counter]>([:])

    private struct Counter {
        var failures: Int
        var windowStart: Date
    }

    init(limit: Int, window: TimeInterval, capacity: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// Seconds until `keys` may try again, or `nil` when none of them is locked out.
    func retryAfter(for keys: [String], now: Date) -> Int? {
        counters.withLock { counters in
            let waits = keys.compactMap { key -> TimeInterval? in
                guard let counter = counters[key], counter.failures >= limit else { return nil }
                let remaining = counter.windowStart.addingTimeInterval(window).timeIntervalSince(now)
                return remaining > 0 ? remaining : nil
            }
            return waits.max().map { Int($0.rounded(.up)) }
        }
    }

    /// Counts one failure against each of `keys`.
    func recordFailure(for keys: [String], now: Date) {
        counters.withLock { counters in
            for key in keys {
                var counter = counters[key] ?? Counter(failures: 0, windowStart: now)
                if now.timeIntervalSince(counter.windowStart) >= window {
                    counter = Counter(failures: 0, windowStart: now)
                }
                counter.failures += 1
                counters[key] = counter
            }
            if counters.count > capacity { trim(&counters, now: now) }
        }
    }

    /// Forgets the failures of `key` (after a successful login).
    func reset(_ key: String) {
        counters.withLock { _ = $0.removeValue(forKey: key) }
    }

    private func trim(_ counters: inout [String: Counter], now: Date) {
        counters = counters.filter { now.timeIntervalSince($0.value.windowStart) < window }
        while counters.count > capacity, let oldest = counters.min(by: { $0.value.windowStart < $1.value.windowStart })
        {
            counters.removeValue(forKey: oldest.key)
        }
    }
}
