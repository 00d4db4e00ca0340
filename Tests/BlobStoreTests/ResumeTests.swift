import EntityStore
import Foundation
import NIOCore
import Testing

@Suite struct ResumeTests {
    @Test func anUploadCutOffResumesAtItsOffset() async throws {
        let blobs = try TemporaryBlobStore()
        let bytes = testBytes(10_000)
        let sha256 = sha256Hex(bytes)

        await #expect(throws: ConnectionLost.self) {
            _ = try await blobs.store.append(
                brokenChunks(Array(bytes[..<6000]), size: 1000),
                key: "k",
                expectedOffset: 0,
                maximumSize: 1 << 20
            )
        }
        let offset = try #require(try await blobs.store.partialUploadOffset(key: "k"))
        #expect(offset == 6000)

        let end = try await blobs.store.append(
            chunks(Array(bytes[Int(offset)...]), size: 1000),
            key: "k",
            expectedOffset: offset,
            maximumSize: 1 << 20
        )
        #expect(end == 10_000)
        try await blobs.store.complete(key: "k", sha256: sha256)
        #expect(try await collect(blobs.store.read(sha256, range: nil)).bytes == bytes)
    }

    @Test func anAppendAtAnotherOffsetIsRejectedAndChangesNothing() async throws {
        let blobs = try TemporaryBlobStore()
        _ = try await blobs.store.append(
            chunks(testBytes(500), size: 100),
            key: "k",
            expectedOffset: 0,
            maximumSize: 1000
        )

        for wrong: Int64 in [0, 499, 501] {
            await #expect(throws: BlobError.offsetMismatch(expected: wrong, found: 500)) {
                _ = try await blobs.store.append(
                    chunks(testBytes(10), size: 10),
                    key: "k",
                    expectedOffset: wrong,
                    maximumSize: 1000
                )
            }
        }
        #expect(try await blobs.store.partialUploadOffset(key: "k") == 500)
    }

    @Test func anAppendToAMissingUploadMustStartAtZero() async throws {
        let blobs = try TemporaryBlobStore()
        await #expect(throws: BlobError.offsetMismatch(expected: 100, found: 0)) {
            _ = try await blobs.store.append(chunks([1], size: 1), key: "k", expectedOffset: 100, maximumSize: 1000)
        }
        #expect(try await blobs.store.partialUploadOffset(key: "k") == nil)
        #expect(blobs.files().isEmpty)
    }

    @Test func anUploadBeingWrittenCannotBeWrittenOrCompletedByAnother() async throws {
        let blobs = try TemporaryBlobStore()
        let (body, writer) = AsyncStream.makeStream(of: ByteBuffer.self)
        let store = blobs.store
        let first = Task { try await store.append(body, key: "k", expectedOffset: 0, maximumSize: 1000) }
        writer.yield(ByteBuffer(bytes: [1, 2, 3]))
        for _ in 0..<1000 where try await store.partialUploadOffset(key: "k") != 3 {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await store.partialUploadOffset(key: "k") == 3)

        await #expect(throws: BlobError.uploadInProgress) {
            _ = try await store.append(chunks([4], size: 1), key: "k", expectedOffset: 3, maximumSize: 1000)
        }
        await #expect(throws: BlobError.uploadInProgress) {
            try await store.complete(key: "k", sha256: sha256Hex([1, 2, 3]))
        }
        #expect(try await store.removePartialUploads(olderThan: .distantFuture) == 0)

        writer.yield(ByteBuffer(bytes: [4]))
        writer.finish()
        #expect(try await first.value == 4)
        try await store.complete(key: "k", sha256: sha256Hex([1, 2, 3, 4]))
        #expect(try await store.size(of: sha256Hex([1, 2, 3, 4])) == 4)
    }

    @Test func partialUploadsLastWrittenBeforeADateAreRemoved() async throws {
        let blobs = try TemporaryBlobStore()
        let stored = try await blobs.upload(testBytes(100), key: "done")
        _ = try await blobs.store.append(chunks(testBytes(10), size: 5), key: "a", expectedOffset: 0, maximumSize: 100)
        _ = try await blobs.store.append(chunks(testBytes(10), size: 5), key: "b", expectedOffset: 0, maximumSize: 100)

        #expect(try await blobs.store.removePartialUploads(olderThan: Date(timeIntervalSinceNow: -60)) == 0)
        #expect(try await blobs.store.partialUploadOffset(key: "a") == 10)

        #expect(try await blobs.store.removePartialUploads(olderThan: Date(timeIntervalSinceNow: 60)) == 2)
        #expect(try await blobs.store.partialUploadOffset(key: "a") == nil)
        #expect(try await blobs.store.partialUploadOffset(key: "b") == nil)
        #expect(try await blobs.store.contains(stored))
    }
}
