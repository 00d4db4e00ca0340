import EntityStore
import Foundation

/// Recently read credentials with their users, so that a request signed with a known key costs no
/// database read.
///
/// An entry is trusted for ``lifetime`` after it was read; a revocation or user removal through this
/// process drops its entries at once, one made through another process sharing the database is seen
/// within ``lifetime``. At most ``capacity`` entries are kept (when full, the cache starts empty again).
final class CredentialCache: @unchecked Sendable {
    struct Entry: Sendable {
        let credential: CredentialRecord
        let user: UserRecord
        let readAt: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    // A lock of its own rather than the generic LockedValue of another module: this runs on every
    // signed request, and a generic call across modules is not specialized. `entries` is only
    // touched while `lock` is held.
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func entry(for id: String, now: Date) -> Entry? {
        guard lifetime > 0, let entry = lock.withLock({ entries[id] }) else { return nil }
        return now.timeIntervalSince(entry.readAt) < lifetime ? entry : nil
    }

    func store(_ entry: Entry) {
        guard lifetime > 0 else { return }
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[entry.credential.id] = entry
        }
    }

    func remove(credential id: String) {
        lock.withLock { _ = entries.removeValue(forKey: id) }
    }

    func remove(user id: String) {
        lock.withLock { entries = entries.filter { $0.value.user.id != id } }
    }
}
