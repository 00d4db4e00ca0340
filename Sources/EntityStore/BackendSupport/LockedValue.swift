import Foundation

/// A value shared between tasks, guarded by a lock (held only for copies, never across I/O).
///
/// Shared by the backends of this package (`package` access), not part of the public API.
package final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    package var current: Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    package func set(_ newValue: Value) {
        lock.lock()
        defer { lock.unlock() }
        value = newValue
    }

    /// Runs `body` on the value under the lock; `body` must not wait for anything.
    package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
