import EntityStore

/// Counts the reads of the store that hold or wait for one of the database pool's readers, so that
/// a read by id runs on the calling thread only while a reader is sure to be free.
///
/// A synchronous read that finds every reader taken waits for one *on the calling thread*, a Swift
/// concurrency thread. An asynchronous read gives its reader back only after it resumes on such a
/// thread, so once every one of them waits, none is left to resume it: the process deadlocks (seen
/// with 32 connections mixing reads by id with other reads on two cores). Reads by id that find the
/// gate full take the asynchronous path instead.
final class ReaderGate: Sendable {
    private let readers: Int
    private let inUse = LockedValue(0)

    init(readers: Int) {
        self.readers = max(1, readers)
    }

    /// Takes a place if a reader is surely free (fewer reads in flight than readers); `false` otherwise.
    func tryEnter() -> Bool {
        inUse.withLock { count in
            guard count < readers else { return false }
            count += 1
            return true
        }
    }

    /// Takes a place unconditionally: for asynchronous reads, which wait for a reader without holding a thread.
    func enter() {
        inUse.withLock { $0 += 1 }
    }

    func leave() {
        inUse.withLock { $0 -= 1 }
    }
}
