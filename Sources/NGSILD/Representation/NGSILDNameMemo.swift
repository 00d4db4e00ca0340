import Foundation

/// Names a reader has already mapped to their stored form, so that a batch of 10,000 entities
/// with the same attributes checks, expands and compacts each name once. Bounded: once full, new
/// names are mapped every time and not remembered. Only successes are kept.
final class NGSILDNameMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var attributes: [String: (stored: String, expanded: String)] = [:]
    private var types: [String: String] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func attribute(_ name: String) -> (stored: String, expanded: String)? {
        lock.withLock { attributes[name] }
    }

    func remember(attribute name: String, as key: (stored: String, expanded: String)) {
        lock.withLock {
            if attributes.count < capacity { attributes[name] = key }
        }
    }

    func type(_ name: String) -> String? {
        lock.withLock { types[name] }
    }

    func remember(type name: String, as stored: String) {
        lock.withLock {
            if types.count < capacity { types[name] = stored }
        }
    }
}
