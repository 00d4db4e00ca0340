import EntityStore
import Foundation
import NIOCore
import Testing

@Suite struct ReadTests {
    @Test(
        arguments: [
            (0...0, 0..<1),
            (0...9, 0..<10),
            (100...199, 100..<200),
            (999...999, 999..<1000),
            (0...999, 0..<1000),
            (990...5000, 990..<1000),
        ] as [(ClosedRange<Int64>, Range<Int64>)]
    )
    func aRangeReadsThoseBytes(range: ClosedRange<Int64>, expected: Range<Int64>) async throws {
        let blobs = try TemporaryBlobStore(readChunkSize: 64)
        let bytes = testBytes(1000)
        let sha256 = try await blobs.upload(bytes)

        let content = try await blobs.store.read(sha256, range: range)
        #expect(content.blobSize == 1000)
        #expect(content.range == expected)
        let (read, chunkSizes) = try await collect(content)
        #expect(read == Array(bytes[Int(expected.lowerBound)..<Int(expected.upperBound)]))
        #expect(chunkSizes.allSatisfy { $0 > 0 && $0 <= 64 })
    }

    @Test(arguments: [1000...1000, 1000...2000, -1...10] as [ClosedRange<Int64>])
    func aRangeFromPastTheEndIsNotSatisfiable(range: ClosedRange<Int64>) async throws {
        let blobs = try TemporaryBlobStore()
        let sha256 = try await blobs.upload(testBytes(1000))
        await #expect(throws: BlobError.rangeNotSatisfiable(size: 1000)) {
            _ = try await blobs.store.read(sha256, range: range)
        }
    }

    @Test func aMissingBlobIsNotFound() async throws {
        let blobs = try TemporaryBlobStore()
        let sha256 = sha256Hex([1, 2, 3])
        #expect(try await blobs.store.contains(sha256) == false)
        #expect(try await blobs.store.size(of: sha256) == nil)
        await #expect(throws: BlobError.notFound) { _ = try await blobs.store.read(sha256, range: nil) }
    }

    @Test func contentCanBeReadTwice() async throws {
        let blobs = try TemporaryBlobStore(readChunkSize: 100)
        let bytes = testBytes(250)
        let content = try await blobs.store.read(try await blobs.upload(bytes), range: nil)
        #expect(try await collect(content).chunkSizes == [100, 100, 50])
        #expect(try await collect(content).bytes == bytes)
    }

    /// 50 MiB go in and come out in chunks of 64 KiB: neither side ever holds the whole file.
    @Test func aLargeBlobIsStreamedInChunks() async throws {
        let blobs = try TemporaryBlobStore()
        let chunkCount = 800
        let chunkSize = 64 * 1024
        var expected = SHA256Hasher()
        for chunk in GeneratedChunks(count: chunkCount, size: chunkSize).chunks() { expected.update(chunk) }
        let sha256 = expected.finish()

        let offset = try await blobs.store.append(
            GeneratedChunks(count: chunkCount, size: chunkSize),
            key: "big",
            expectedOffset: 0,
            maximumSize: 100 << 20
        )
        #expect(offset == Int64(chunkCount * chunkSize))
        try await blobs.store.complete(key: "big", sha256: sha256)
        #expect(try await blobs.store.size(of: sha256) == 50 << 20)

        var read = SHA256Hasher()
        var chunks = 0
        var largest = 0
        for try await chunk in try await blobs.store.read(sha256, range: nil) {
            chunks += 1
            largest = max(largest, chunk.readableBytes)
            read.update(chunk)
        }
        #expect(chunks == chunkCount)
        #expect(largest == chunkSize)
        #expect(read.finish() == sha256)

        let middle = try await blobs.store.read(sha256, range: 25 << 20...(25 << 20) + 99)
        let (bytes, sizes) = try await collect(middle)
        #expect(sizes == [100])
        #expect(bytes == Array(GeneratedChunks.chunk(400, size: chunkSize).readableBytesView.prefix(100)))
    }
}

/// `count` generated buffers of `size` bytes, made one at a time as an upload body asks for them.
struct GeneratedChunks: AsyncSequence {
    let count: Int
    let size: Int

    static func chunk(_ index: Int, size: Int) -> ByteBuffer {
        var buffer = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index &* 37), count: size)
        buffer.setInteger(UInt64(index), at: 0)
        return buffer
    }

    func chunks() -> some Sequence<ByteBuffer> {
        (0..<count).lazy.map { Self.chunk($0, size: size) }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let count: Int
        let size: Int
        var index = 0

        mutating func next() async -> ByteBuffer? {
            guard index < count else { return nil }
            defer { index += 1 }
            return GeneratedChunks.chunk(index, size: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(count: count, size: size) }
}
