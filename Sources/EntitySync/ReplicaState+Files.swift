import EntityModel
import EntityQuery
import EntityStore

extension ReplicaState {
    /// `_sync_files/<sha256>`: an attached file not uploaded yet (`size`), kept until the server
    /// has it.
    static let files = "_sync_files"

    struct PendingUpload: Sendable, Hashable {
        let sha256: String
        let size: Int64
    }

    /// The files waiting to be uploaded, oldest attached first.
    static func pendingUploads(in store: any EntityStore) async throws -> [PendingUpload] {
        var pending: [PendingUpload] = []
        var offset = 0
        while true {
            let query = Query(sort: [SortKey(FieldPath(["attached"]))], limit: 1000, offset: offset, countsTotal: false)
            let page = try await store.query(query, in: CollectionPath(files)).entities
            for entity in page {
                guard case .integer(let size) = entity.values["size"] else { continue }
                pending.append(PendingUpload(sha256: entity.id, size: size))
            }
            guard page.count == 1000 else { return pending }
            offset += page.count
        }
    }

    /// Records `upload` as waiting for the next sync.
    static func recordPending(_ upload: PendingUpload, in store: any EntityStore) async throws {
        let values: [String: JSON] = [
            "size": .integer(upload.size), "attached": .string(Timestamp.format(SyncClient.now())),
        ]
        try await store.apply(try await writes(settingLocal: values, of: upload.sha256, in: files, store: store))
    }

    /// Forgets the pending upload of `sha256` (done, or refused for good).
    static func removePending(_ sha256: String, in store: any EntityStore) async throws {
        try await store.apply(try await writes(settingLocal: nil, of: sha256, in: files, store: store))
    }
}
