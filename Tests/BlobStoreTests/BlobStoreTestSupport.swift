import Crypto
import EntityStore
import Foundation
import NIOCore

/// A fresh store in a directory of its own, removed when the value is released.
final class TemporaryBlobStore: Sendable {
    let directory: URL
    let store: FileSystemBlobStore

    init(readChunkSize: Int = 64 * 1024) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "BlobStoreTests-\(UUID())")
        store = try FileSystemBlobStore(
            directory: directory,
            configuration: .init(readChunkSize: readChunkSize, synchronizesBlobs: false)
        )
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Uploads `bytes` under `key` in chunks of `chunkSize` bytes and completes the upload.
    func upload(_ bytes: [UInt8], key: String = "user/upload", chunkSize: Int = 1000) async throws -> String {
        let sha256 = sha256Hex(bytes)
        _ = try await store.append(chunks(bytes, size: chunkSize), key: key, expectedOffset: 0, maximumSize: 1 << 30)
        try await store.complete(key: key, sha256: sha256)
        return sha256
    }

    /// The paths of the regular files under the store's directory, relative to it.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path(percentEncoded: false))
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if enumerator?.fileAttributes?[.type] as? FileAttributeType == .typeRegular { files.append(path) }
        }
        return files.sorted()
    }
}

/// `bytes` cut into buffers of `size` bytes (the last may be shorter), as an upload body.
func chunks(_ bytes: [UInt8], size: Int) -> AsyncStream<ByteBuffer> {
    let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
    for start in stride(from: 0, to: bytes.count, by: size) {
        continuation.yield(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)]))
    }
    continuation.finish()
    return stream
}

/// An upload body that yields `bytes` in buffers of `size` bytes and then fails, as a broken
/// connection does.
func brokenChunks(_ bytes: [UInt8], size: Int) -> AsyncThrowingStream<ByteBuffer, any Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
    for start in stride(from: 0, to: bytes.count, by: size) {
        continuation.yield(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)]))
    }
    continuation.finish(throwing: ConnectionLost())
    return stream
}

struct ConnectionLost: Error {}

/// `count` reproducible pseudo-random bytes.
func testBytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
    SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
}

/// Every byte of `content`, with the size of each chunk it came in.
func collect(_ content: BlobContent) async throws -> (bytes: [UInt8], chunkSizes: [Int]) {
    var bytes: [UInt8] = []
    var sizes: [Int] = []
    for try await chunk in content {
        bytes += chunk.readableBytesView
        sizes.append(chunk.readableBytes)
    }
    return (bytes, sizes)
}

/// A SHA-256 computed over buffers as they pass.
struct SHA256Hasher {
    private var hasher = SHA256()

    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    }

    func finish() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
