import EntityModel
import EntityStore
import Foundation
import PostgresNIO

extension PostgresEntityStore {
    public func versionStamps(of ids: [String], in collection: CollectionPath, newest: Int) async throws(StoreError)
        -> [String: [VersionStamp]]
    {
        guard !ids.isEmpty, newest > 0 else { return [:] }
        try await ready()
        let rows = try await rows(StampStatements.stamps(of: ids, in: collection, newest: newest))
        do { return try StampStatements.decodeStamps(rows, in: collection) } catch { throw StoreError(postgres: error) }
    }

    public func stageFile(_ file: StagedFile) async throws(StoreError) {
        try await ready()
        _ = try await rows(StampStatements.stage(file))
    }

    public func stagedFiles(by userID: String, for entityID: String, in collection: CollectionPath, stamp: String)
        async throws(StoreError) -> [StagedFile]
    {
        try await ready()
        let rows = try await rows(StampStatements.staged(by: userID, for: entityID, in: collection, stamp: stamp))
        do {
            return try rows.map { row in
                let (path, sha256, size, stagedAt) = try row.decode((String, String, Int64, Double).self)
                return StagedFile(
                    userID: userID,
                    collection: collection,
                    entityID: entityID,
                    stamp: stamp,
                    path: path,
                    sha256: sha256,
                    size: size,
                    stagedAt: Date(timeIntervalSince1970: stagedAt)
                )
            }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    public func unstageFiles(
        by userID: String,
        for entityID: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    ) async throws(StoreError) -> Int {
        try await ready()
        return try await rows(
            StampStatements.unstage(by: userID, for: entityID, in: collection, stamp: stamp, under: path)
        ).count
    }

    public func pruneStagedFiles(before date: Date) async throws(StoreError) {
        try await ready()
        _ = try await rows(StampStatements.prune(before: date))
    }
}
