import EntityModel
import EntityStore
import Foundation

extension SyncClient {
    /// The files the local copy of `id` and its base refer to: those a pulled change may release.
    /// Empty (and no read) while the replica has no file folder.
    func fileDigests(of id: String, in collection: String) async throws -> Set<String> {
        guard LocalFile.exists(filesDirectory) else { return [] }
        var digests: Set<String> = []
        if let local = try await store.get(id, in: CollectionPath(collection)) {
            digests = FileReference.digests(in: local.values)
        }
        if let base = try await ReplicaState.base(of: id, in: collection, store: store) {
            digests.formUnion(FileReference.digests(in: base.values))
        }
        return digests
    }

    /// Removes the local copies (and unfinished downloads) of the files in `digests` that no local
    /// entity refers to any more, unless they still wait for their upload.
    func removeUnreferencedFiles(_ digests: Set<String>, into report: inout SyncReport) async throws {
        let present = digests.filter { digest in
            FileReference.isDigest(digest)
                && (LocalFile.exists(localURL(of: digest)) || LocalFile.exists(partialURL(of: digest)))
        }
        guard !present.isEmpty else { return }
        let counts = try await store.fileReferenceCounts(present.sorted())
        let pending = Set(try await ReplicaState.pendingUploads(in: store).map(\.sha256))
        for digest in present where counts[digest] == nil && !pending.contains(digest) {
            try? FileManager.default.removeItem(at: partialURL(of: digest))
            if (try? FileManager.default.removeItem(at: localURL(of: digest))) != nil {
                report.filesRemoved += 1
            }
        }
    }
}
