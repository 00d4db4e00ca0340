import Crypto
import EntityModel
import EntityService
import EntityStore
import Foundation
import NIOCore
import Synchronization
import TestStores
import Testing

/// Files as values refer to them, on both backends: a value refers only to files its writer uploaded
/// or can read through another entity; `missing` answers per caller; a file goes with the last
/// entity that refers to it, after the grace period; downloads need the entity's read right.
@Suite struct FileReferenceTests {
    private let notes = CollectionPath("notes")

    private func withFiles(
        _ backend: StoreBackend,
        wrap: (any EntityStore) -> any EntityStore = { $0 },
        _ body: (EntityService, FileService, any BlobStore, SyncPeople) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let blobs = try FileSystemBlobStore(directory: directory)
        try await SyncPeople.with(backend, schema: Schema(collections: ["notes": CollectionSchema()]), wrap: wrap) {
            service,
            people in
            try await body(service, service.files(in: blobs), blobs, people)
        }
    }

    /// Uploads `text` as `caller`; returns its digest and the value that refers to it.
    private func upload(_ text: String, to files: FileService, as caller: Caller) async throws -> (String, JSON) {
        let bytes = Array(text.utf8)
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let body = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: bytes))
            continuation.finish()
        }
        try await files.upload(body, sha256: digest, as: caller)
        return (digest, ["$file": .string(digest), "size": .integer(Int64(bytes.count)), "name": "note.txt"])
    }

    private func code(of body: () async throws -> Void) async -> EntityError.Code? {
        do {
            try await body()
            return nil
        } catch let error as EntityError {
            return error.code
        } catch {
            return .internal
        }
    }

    @Test(arguments: StoreBackend.allCases) func valuesReferOnlyToFilesTheWriterMayRead(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { service, files, _, people in
            let (digest, reference) = try await upload("alice's report", to: files, as: people.alice)
            #expect(try await files.missing([digest], as: people.alice) == [], "the uploader has it")
            #expect(
                try await files.missing([digest, digest], as: people.bob) == [digest],
                "bob neither uploaded it nor reads it"
            )
            let forged = await code {
                _ = try await service.create(["id": "B1", "doc": reference], in: notes, as: people.bob)
            }
            #expect(forged == .validationFailed, "a reference to a file bob cannot read")
            #expect(await code { _ = try await service.get("B1", in: notes, as: people.bob) } == .notFound)

            _ = try await service.create(["id": "A1", "doc": reference], in: notes, as: people.alice)
            _ = try await service.grant(.read, to: people.bobName, on: "A1", in: notes, as: people.alice)
            #expect(try await files.missing([digest], as: people.bob) == [], "bob reads it through A1")
            _ = try await service.create(["id": "B1", "copy": ["of": reference]], in: notes, as: people.bob)

            let malformed = await code {
                _ = try await service.create(["doc": ["$file": 42]], in: notes, as: people.alice)
            }
            #expect(malformed == .validationFailed, "a $file that is no digest")
            let pushed = try await service.syncPush(
                [
                    SyncMutation(
                        mutationID: "m1",
                        operation: .create,
                        collection: "notes",
                        id: "B2",
                        set: ["doc": ["$file": .string(String(repeating: "0", count: 64))]]
                    )
                ],
                device: "phone",
                as: people.bob
            )
            #expect(pushed.first?.status == .rejected)
            #expect(pushed.first?.error?.code == .validationFailed, "a push is checked like any write")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aFileGoesWithItsLastEntityAfterTheGracePeriod(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { service, files, blobs, people in
            let (digest, reference) = try await upload("shared twice", to: files, as: people.alice)
            let first = try await service.create(["doc": reference], in: notes, as: people.alice)
            let second = try await service.create(["again": [reference]], in: notes, as: people.alice)
            try await service.delete(first.id, expectedVersion: nil, in: notes, as: people.alice)
            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 0, "one entity still refers to it")
            let download = try await files.download(digest, of: second.id, in: notes, range: nil, as: people.alice)
            #expect(download.size == 12)
            let hidden = await code {
                _ = try await files.download(digest, of: second.id, in: notes, range: nil, as: people.bob)
            }
            #expect(hidden == .notFound, "no read right on the entity: no file")

            try await service.delete(second.id, expectedVersion: nil, in: notes, as: people.alice)
            #expect(try await files.removeUnreferencedFiles(olderThan: .seconds(3600)) == 0, "within the grace period")
            #expect(try await blobs.contains(digest))
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 1, "after it")
            #expect(try await blobs.contains(digest) == false, "the blob is deleted")
            #expect(try await files.missing([digest], as: people.alice) == [digest], "and has to be uploaded again")
            let stale = await code {
                _ = try await service.create(["doc": reference], in: notes, as: people.alice)
            }
            #expect(stale == .validationFailed)
        }
    }

    /// The sweeper takes a file out of use between a write's check of its reference and the write: the
    /// write brings the file back, and its blob stays.
    @Test(arguments: StoreBackend.allCases) func aWriteCheckedBeforeTheSweepKeepsItsFile(_ backend: StoreBackend)
        async throws
    {
        let stores = Mutex<InterferingStore?>(nil)
        try await withFiles(
            backend,
            wrap: { store in
                let interfering = InterferingStore(store)
                stores.withLock { $0 = interfering }
                return interfering
            }
        ) { service, files, blobs, people in
            let (digest, reference) = try await upload("checked, then swept", to: files, as: people.alice)
            stores.withLock { $0 }?.interfere(beforeNextApply: { _ throws(StoreError) in
                do {
                    #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 1, "retired under the write")
                } catch {
                    throw StoreError(.internal, "the sweep failed: \(error)")
                }
            })
            let note = try await service.create(["doc": reference], in: notes, as: people.alice)
            #expect(try await blobs.contains(digest) == false, "set aside by the sweep")

            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 0, "the write brought it back")
            let download = try await files.download(digest, of: note.id, in: notes, range: nil, as: people.alice)
            #expect(download.size == 19)
            #expect(try await blobs.contains(digest), "and its blob")
            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 0, "it is referred to")
        }
    }

    /// A file uploaded again after the sweeper took it out of use is back; one nobody brought back is
    /// deleted at the next sweep.
    @Test(arguments: StoreBackend.allCases) func aFileUploadedAgainAfterTheSweepIsBack(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { service, files, blobs, people in
            let (kept, reference) = try await upload("uploaded twice", to: files, as: people.alice)
            let (gone, _) = try await upload("uploaded once", to: files, as: people.alice)
            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 2, "both unreferenced")
            #expect(try await files.missing([kept, gone], as: people.alice) == [kept, gone])

            _ = try await upload("uploaded twice", to: files, as: people.bob)
            #expect(try await files.removeUnreferencedFiles(olderThan: .seconds(3600)) == 0, "a new grace period")
            #expect(try await files.missing([kept, gone], as: people.bob) == [gone])
            let note = try await service.create(["doc": reference], in: notes, as: people.bob)
            let download = try await files.download(kept, of: note.id, in: notes, range: nil, as: people.bob)
            #expect(download.size == 14)

            #expect(try await files.removeUnreferencedFiles(olderThan: .zero) == 0, "the other is deleted for good")
            #expect(try await blobs.size(of: gone) == nil, "its blob is gone, not set aside")
            #expect(try await blobs.contains(kept))
        }
    }

    /// A blob no store record knows (a crash between storing and recording it) is set aside by one
    /// sweep and deleted by the next, once older than the grace period; recorded blobs stay.
    @Test(arguments: StoreBackend.allCases) func blobsNoRecordKnowsGoInTwoSweeps(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { service, files, blobs, people in
            let (kept, _) = try await upload("recorded", to: files, as: people.alice)
            let bytes = Array("stored, never recorded".utf8)
            let orphan = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let body = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(bytes: bytes))
                continuation.finish()
            }
            _ = try await blobs.append(body, key: "crashed", expectedOffset: 0, maximumSize: 100)
            try await blobs.complete(key: "crashed", sha256: orphan)

            let young = try await files.removeUnrecordedBlobs(after: nil, limit: 100, olderThan: .seconds(3600))
            #expect(young.removed == 0, "within the grace period")
            try await Task.sleep(for: .milliseconds(20))
            let first = try await files.removeUnrecordedBlobs(after: nil, limit: 100, olderThan: .zero)
            #expect(first.removed == 1 && first.next == nil, "set aside, the whole folder swept")
            #expect(try await blobs.contains(orphan) == false)
            let second = try await files.removeUnrecordedBlobs(after: nil, limit: 100, olderThan: .zero)
            #expect(second.removed == 1, "deleted")
            #expect(try await blobs.size(of: orphan) == nil, "not set aside any more")
            #expect(try await blobs.contains(kept), "the recorded blob stays")

            let page = try await files.removeUnrecordedBlobs(after: nil, limit: 1, olderThan: .zero)
            #expect(page.removed == 0 && page.next == kept, "a full page names where the next sweep goes on")
            #expect(try await files.missing([kept], as: people.alice) == [])
        }
    }
}
