import EntityModel
import EntityStore
import Foundation
import PostgresNIO

extension PostgresEntityStore {
    public func recordFileUpload(_ sha256: String, by userID: String, at date: Date) async throws(StoreError) {
        try await ready()
        _ = try await rows(FileStatements.recordUpload(sha256, by: userID, at: date))
    }

    public func filesUploaded(_ digests: [String], by userID: String) async throws(StoreError) -> Set<String> {
        guard !digests.isEmpty else { return [] }
        try await ready()
        let rows = try await rows(FileStatements.uploaded(digests, by: userID))
        do { return Set(try rows.map { try $0.decode(String.self) }) } catch { throw StoreError(postgres: error) }
    }

    public func fileReferrers(of sha256: String, limit: Int) async throws(StoreError) -> [FileReferrer] {
        try await ready()
        let rows = try await rows(FileStatements.referrers(of: sha256, limit: limit))
        do {
            return try rows.map { row in
                let (collection, id) = try row.decode((String, String).self)
                return FileReferrer(collection: CollectionPath(storageKey: collection), id: id)
            }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    public func filesRecorded(_ digests: [String]) async throws(StoreError) -> Set<String> {
        guard !digests.isEmpty else { return [] }
        try await ready()
        let rows = try await rows("SELECT sha256 FROM file_blobs WHERE sha256 = ANY(\(digests)::text[])")
        do { return Set(try rows.map { try $0.decode(String.self) }) } catch { throw StoreError(postgres: error) }
    }

    public func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int] {
        guard !digests.isEmpty else { return [:] }
        try await ready()
        let rows = try await rows(FileStatements.counts(digests))
        do {
            var counts: [String: Int] = [:]
            for row in rows {
                let (digest, refs) = try row.decode((String, Int64).self)
                counts[digest] = Int(refs)
            }
            return counts
        } catch {
            throw StoreError(postgres: error)
        }
    }

    public func retireUnreferencedFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await changingFiles(FileStatements.retire(before: date, limit: limit, at: Date()))
    }

    public func forgetRetiredFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await changingFiles(FileStatements.forget(retiredBefore: date, limit: limit))
    }

    /// Runs `statement` under the change log's lock, so no write adds a reference to a file meanwhile;
    /// returns the digests it returns.
    private func changingFiles(_ statement: PostgresQuery) async throws(StoreError) -> [String] {
        try await ready()
        let logger = self.logger
        return try await transaction(begin: "BEGIN") { connection in
            try await Self.lockChanges(connection, logger: logger)
            let rows = try await connection.query(statement, logger: logger).collect()
            return try rows.map { try $0.decode(String.self) }
        }
    }
}
