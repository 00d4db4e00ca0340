import EntityModel
import EntityStore
import Foundation

extension SQLiteEntityStore {
    public func versionStamps(of ids: [String], in collection: CollectionPath, newest: Int) async throws(StoreError)
        -> [String: [VersionStamp]]
    {
        guard !ids.isEmpty, newest > 0 else { return [:] }
        return try await read { db in try StampTables.stamps(of: ids, in: collection, newest: newest, db: db) }
    }

    public func stageFile(_ file: StagedFile) async throws(StoreError) {
        try await write { db in try StampTables.stage(file, db: db) }
    }

    public func stagedFiles(by userID: String, for entityID: String, in collection: CollectionPath, stamp: String)
        async throws(StoreError) -> [StagedFile]
    {
        try await read { db in
            try StampTables.staged(by: userID, for: entityID, in: collection, stamp: stamp, db: db)
        }
    }

    public func unstageFiles(
        by userID: String,
        for entityID: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    ) async throws(StoreError) -> Int {
        try await write { db in
            try StampTables.unstage(by: userID, for: entityID, in: collection, stamp: stamp, under: path, db: db)
        }
    }

    public func pruneStagedFiles(before date: Date) async throws(StoreError) {
        try await write { db in try StampTables.prune(before: date, db: db) }
    }
}
