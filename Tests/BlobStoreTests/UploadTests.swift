import EntityStore
import Foundation
import NIOCore
import Testing

@Suite struct UploadTests {
    @Test func anUploadInSeveralAppendsIsStoredByItsDigest() async throws {
        let blobs = try TemporaryBlobStore()
        let bytes = testBytes(10_000)
        let sha256 = sha256Hex(bytes)

        var offset: Int64 = 0
        for part in stride(from: 0, to: bytes.count, by: 3000) {
            let slice = Array(bytes[part..<min(part + 3000, bytes.count)])
            offset = try await blobs.store.append(
                chunks(slice, size: 700),
                key: "u1/\(sha256)",
                expectedOffset: offset,
                maximumSize: 1 << 20
            )
            #expect(try await blobs.store.partialUploadOffset(key: "u1/\(sha256)") == offset)
        }
        #expect(offset == 10_000)
        #expect(try await blobs.store.contains(sha256) == false)

        try await blobs.store.complete(key: "u1/\(sha256)", sha256: sha256)

        #expect(try await blobs.store.contains(sha256))
        #expect(try await blobs.store.size(of: sha256) == 10_000)
        #expect(try await collect(blobs.store.read(sha256, range: nil)).bytes == bytes)
        #expect(try await blobs.store.partialUploadOffset(key: "u1/\(sha256)") == nil)
        #expect(blobs.files() == ["blobs/\(sha256.prefix(2))/\(sha256)"])
    }

    @Test func anUploadWithAnotherDigestIsRejectedAndNothingIsStored() async throws {
        let blobs = try TemporaryBlobStore()
        let bytes = testBytes(5000)
        let claimed = sha256Hex(testBytes(5000, seed: 2))
        _ = try await blobs.store.append(chunks(bytes, size: 1024), key: "k", expectedOffset: 0, maximumSize: 1 << 20)

        await #expect(throws: BlobError.digestMismatch(expected: claimed, actual: sha256Hex(bytes))) {
            try await blobs.store.complete(key: "k", sha256: claimed)
        }
        #expect(try await blobs.store.contains(claimed) == false)
        #expect(try await blobs.store.contains(sha256Hex(bytes)) == false)
        #expect(try await blobs.store.partialUploadOffset(key: "k") == nil)
        #expect(blobs.files().isEmpty)
    }

    @Test func anUploadOverTheLimitIsRejectedAndDiscarded() async throws {
        let blobs = try TemporaryBlobStore()
        let offset = try await blobs.store.append(
            chunks(testBytes(900), size: 300),
            key: "k",
            expectedOffset: 0,
            maximumSize: 1000
        )
        #expect(offset == 900)

        await #expect(throws: BlobError.tooLarge(limit: 1000)) {
            _ = try await blobs.store.append(
                chunks(testBytes(200), size: 50),
                key: "k",
                expectedOffset: 900,
                maximumSize: 1000
            )
        }
        #expect(try await blobs.store.partialUploadOffset(key: "k") == nil)
        #expect(blobs.files().isEmpty)
    }

    @Test func anUploadOfExactlyTheLimitIsAccepted() async throws {
        let blobs = try TemporaryBlobStore()
        let offset = try await blobs.store.append(
            chunks(testBytes(1000), size: 300),
            key: "k",
            expectedOffset: 0,
            maximumSize: 1000
        )
        #expect(offset == 1000)
    }

    @Test func theSameContentUploadedTwiceIsStoredOnce() async throws {
        let blobs = try TemporaryBlobStore()
        let bytes = testBytes(4096)
        let first = try await blobs.upload(bytes, key: "alice/file")
        let second = try await blobs.upload(bytes, key: "bob/file", chunkSize: 333)

        #expect(first == second)
        #expect(try await collect(blobs.store.read(first, range: nil)).bytes == bytes)
        #expect(try await blobs.store.partialUploadOffset(key: "bob/file") == nil)
        #expect(blobs.files() == ["blobs/\(first.prefix(2))/\(first)"])
    }

    @Test func anEmptyFileIsABlobToo() async throws {
        let blobs = try TemporaryBlobStore()
        let sha256 = try await blobs.upload([])

        #expect(sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try await blobs.store.size(of: sha256) == 0)
        let content = try await blobs.store.read(sha256, range: nil)
        #expect(content.blobSize == 0)
        #expect(try await collect(content).chunkSizes.isEmpty)
        await #expect(throws: BlobError.rangeNotSatisfiable(size: 0)) {
            _ = try await blobs.store.read(sha256, range: 0...0)
        }
    }

    @Test func completingWithoutAnUploadFindsNothing() async throws {
        let blobs = try TemporaryBlobStore()
        await #expect(throws: BlobError.notFound) {
            try await blobs.store.complete(key: "none", sha256: sha256Hex([1, 2, 3]))
        }
    }

    @Test func aRemovedBlobIsGone() async throws {
        let blobs = try TemporaryBlobStore()
        let kept = try await blobs.upload(testBytes(100, seed: 7), key: "a")
        let sha256 = try await blobs.upload(testBytes(100), key: "b")

        #expect(try await blobs.store.remove(sha256))
        #expect(try await blobs.store.contains(sha256) == false)
        #expect(try await blobs.store.size(of: sha256) == nil)
        await #expect(throws: BlobError.notFound) { _ = try await blobs.store.read(sha256, range: nil) }
        #expect(try await blobs.store.remove(sha256) == false)
        #expect(try await blobs.store.contains(kept))
    }
}
