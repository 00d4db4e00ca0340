import EntityModel
import EntityStore
import Foundation

extension SQLiteEntityStore {
    public func recordFileUpload(_ sha256: String, by userID: String, at date: Date) async throws(StoreError) {
        try await write { db in try FileTables.recordUpload(sha256, by: userID, at: date, db: db) }
    }

    public func filesUploaded(_ digests: [String], by userID: String) async throws(StoreError) -> Set<String> {
        guard !digests.isEmpty else { return [] }
        return try await read { db in try FileTables.uploaded(digests, by: userID, db: db) }
    }

    public func fileReferrers(of sha256: String, limit: Int) async throws(StoreError) -> [FileReferrer] {
        try await read { db in try FileTables.referrers(of: sha256, limit: limit, db: db) }
    }

    public func filesRecorded(_ digests: [String]) async throws(StoreError) -> Set<String> {
        guard !digests.isEmpty else { return [] }
        return try await read { db in try FileTables.recorded(digests, db: db) }
    }

    public func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int] {
        guard !digests.isEmpty else { return [:] }
        return try await read { db in try FileTables.counts(digests, db: db) }
    }

    public func retireUnreferencedFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await write { db in try FileTables.retire(before: date, limit: limit, at: Date(), db: db) }
    }

    public func forgetRetiredFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await write { db in try FileTables.forget(retiredBefore: date, limit: limit, db: db) }
    }
}
