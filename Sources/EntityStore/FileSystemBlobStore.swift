import Crypto
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``BlobStore`` in a directory: blob `<sha256>` is the file `blobs/<first two digits>/<sha256>`,
/// and each upload session is a file in `uploads/` named by the SHA-256 of its key (a key never
/// becomes a path). A completed upload is published by an atomic rename, so a reader sees a whole blob
/// or none. Sessions are locked with `flock(2)` while written, so several processes may share the
/// directory (on a file system that supports `flock`).
///
/// ```swift
/// let blobs = try FileSystemBlobStore(directory: URL(filePath: "data/files"))
/// ```
///
/// File operations are blocking system calls on the calling task's thread, in chunks of at most
/// ``Configuration/readChunkSize`` (reads) or 1 MiB (hashing).
public final class FileSystemBlobStore: BlobStore {
    public struct Configuration: Sendable {
        /// The most bytes a chunk of ``read(_:range:)`` carries. Default: 64 KiB.
        public var readChunkSize: Int
        /// Whether ``complete(key:sha256:)`` flushes a blob to the disk (`fsync`) before it publishes
        /// it. Default: `true`.
        public var synchronizesBlobs: Bool

        public init(readChunkSize: Int = 64 * 1024, synchronizesBlobs: Bool = true) {
            precondition(readChunkSize > 0, "readChunkSize must be positive")
            self.readChunkSize = readChunkSize
            self.synchronizesBlobs = synchronizesBlobs
        }
    }

    /// The bytes hashed per read by ``complete(key:sha256:)``.
    static let hashChunkSize = 1 << 20

    public let configuration: Configuration
    private let blobsPath: String
    private let uploadsPath: String

    /// A store in `directory`, which is created with its subdirectories when missing.
    public init(directory: URL, configuration: Configuration = .init()) throws(BlobError) {
        let root = directory.path(percentEncoded: false)
        self.configuration = configuration
        self.blobsPath = root + "/blobs"
        self.uploadsPath = root + "/uploads"
        do {
            for path in [blobsPath, uploadsPath] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
        } catch {
            throw .io("cannot create the blob directories")
        }
    }

    public func contains(_ sha256: String) async throws(BlobError) -> Bool {
        try FileStatus(path: blobPath(sha256)) != nil
    }

    public func size(of sha256: String) async throws(BlobError) -> Int64? {
        try FileStatus(path: readablePath(sha256))?.size
    }

    /// The path of blob `sha256`, brought back first if it was retired: an entity refers to it again.
    private func readablePath(_ sha256: String) throws(BlobError) -> String {
        let path = try blobPath(sha256)
        if try FileStatus(path: path) == nil { rename(path + Self.retiredSuffix, path) }
        return path
    }

    public func read(_ sha256: String, range: ClosedRange<Int64>?) async throws(BlobError) -> BlobContent {
        let path = try readablePath(sha256)
        guard let size = try FileStatus(path: path)?.size else { throw .notFound }
        let offsets: Range<Int64>
        if let range {
            guard range.lowerBound >= 0, range.lowerBound < size else { throw .rangeNotSatisfiable(size: size) }
            offsets = range.lowerBound..<(min(range.upperBound, size - 1) + 1)
        } else {
            offsets = 0..<size
        }
        let chunkSize = configuration.readChunkSize
        return BlobContent(blobSize: size, range: offsets) {
            let reader = BlobChunkReader(path: path, range: offsets, chunkSize: chunkSize)
            return { () throws(BlobError) -> ByteBuffer? in try reader.next() }
        }
    }

    @discardableResult
    public func remove(_ sha256: String) async throws(BlobError) -> Bool {
        try Self.unlinkIfPresent(blobPath(sha256), "cannot remove a blob")
    }

    /// Deletes the file at `path`; returns whether there was one.
    private static func unlinkIfPresent(_ path: String, _ failure: String) throws(BlobError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw .io(blobIOMessage(failure))
    }

    /// What a retired blob's file name ends with, beside the blob's place.
    static let retiredSuffix = ".retired"

    public func retire(_ sha256: String) async throws(BlobError) -> Bool {
        let path = try blobPath(sha256)
        if rename(path, path + Self.retiredSuffix) == 0 { return true }
        if errno == ENOENT { return false }
        throw .io(blobIOMessage("cannot retire a blob"))
    }

    public func removeRetired(_ sha256: String) async throws(BlobError) -> Bool {
        try Self.unlinkIfPresent(blobPath(sha256) + Self.retiredSuffix, "cannot remove a retired blob")
    }

    public func storedBlobs(after cursor: String?, limit: Int) async throws(BlobError) -> [StoredBlob] {
        let firstShard = cursor.map { String($0.prefix(2)) } ?? ""
        var found: [StoredBlob] = []
        for shard in try Self.names(in: blobsPath).filter({ $0.utf8.count == 2 && $0 >= firstShard }).sorted() {
            for name in try Self.names(in: blobsPath + "/" + shard) {
                let isRetired = name.hasSuffix(Self.retiredSuffix)
                let digest = isRetired ? String(name.dropLast(Self.retiredSuffix.count)) : name
                guard Self.isDigest(digest), cursor.map({ digest > $0 }) ?? true,
                    let status = try FileStatus(path: blobsPath + "/" + shard + "/" + name)
                else { continue }
                found.append(StoredBlob(sha256: digest, isRetired: isRetired, modifiedAt: status.modificationDate))
            }
            if found.count >= limit { break }  // whole shards, so the digest order holds
        }
        found.sort { ($0.sha256, $0.isRetired ? 1 : 0) < ($1.sha256, $1.isRetired ? 1 : 0) }
        return Array(found.prefix(limit))
    }

    /// The names in the directory at `path` (none when it is missing).
    private static func names(in path: String) throws(BlobError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return []
        } catch {
            throw .io("cannot list a blob folder")
        }
    }

    public func partialUploadOffset(key: String) async throws(BlobError) -> Int64? {
        try FileStatus(path: uploadPath(key))?.size
    }

    public func append<Chunks: AsyncSequence>(
        _ chunks: Chunks,
        key: String,
        expectedOffset: Int64,
        maximumSize: Int64
    ) async throws -> Int64 where Chunks.Element == ByteBuffer {
        let path = uploadPath(key)
        guard let upload = try LockedFile.lock(path: path, create: expectedOffset == 0) else {
            throw BlobError.offsetMismatch(expected: expectedOffset, found: 0)
        }
        var offset = try upload.status().size
        guard offset == expectedOffset else { throw BlobError.offsetMismatch(expected: expectedOffset, found: offset) }
        for try await chunk in chunks {
            guard Int64(chunk.readableBytes) <= maximumSize - offset else {
                unlink(path)
                throw BlobError.tooLarge(limit: maximumSize)
            }
            try upload.append(chunk)
            offset += Int64(chunk.readableBytes)
        }
        return offset
    }

    public func complete(key: String, sha256: String) async throws(BlobError) {
        _ = try blobPath(sha256)  // a malformed digest is refused before the upload is touched
        _ = try await publish(key, expected: sha256)
    }

    public func complete(key: String) async throws(BlobError) -> String {
        try await publish(key, expected: nil)
    }

    /// Publishes the upload `key` as the blob of its digest (which must be `expected`, when given).
    private func publish(_ key: String, expected: String?) async throws(BlobError) -> String {
        let path = uploadPath(key)
        guard let upload = try LockedFile.lock(path: path, create: false) else { throw .notFound }
        let actual = try await upload.sha256()
        if let expected, actual != expected {
            unlink(path)
            throw .digestMismatch(expected: expected, actual: actual)
        }
        let target = try blobPath(actual)
        if configuration.synchronizesBlobs { try upload.synchronize() }
        let folder = (target as NSString).deletingLastPathComponent
        guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
            throw .io(blobIOMessage("cannot create a blob folder"))
        }
        if try FileStatus(path: target) != nil {
            unlink(path)  // stored already
        } else if rename(path, target) != 0 {
            throw .io(blobIOMessage("cannot publish a blob"))
        } else {
            unlink(target + Self.retiredSuffix)  // the same bytes, set aside before
        }
        return actual
    }

    public func discardPartialUpload(key: String) async throws(BlobError) {
        let path = uploadPath(key)
        guard try LockedFile.lock(path: path, create: false) != nil else { return }
        unlink(path)
    }

    @discardableResult
    public func removePartialUploads(olderThan date: Date) async throws(BlobError) -> Int {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: uploadsPath)
        } catch {
            throw .io("cannot list the uploads")
        }
        var removed = 0
        for name in names {
            let path = uploadsPath + "/" + name
            let upload: LockedFile?
            do {
                upload = try LockedFile.lock(path: path, create: false)
            } catch .uploadInProgress {
                continue
            }
            guard let upload, try upload.status().modificationDate < date else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    /// The path of blob `sha256`, once `sha256` is known to be a digest (and so no path traversal).
    private func blobPath(_ sha256: String) throws(BlobError) -> String {
        guard Self.isDigest(sha256) else { throw .invalidDigest }
        return "\(blobsPath)/\(sha256.prefix(2))/\(sha256)"
    }

    /// The path of the upload session `key`: named by the key's SHA-256, never by the key itself.
    private func uploadPath(_ key: String) -> String {
        uploadsPath + "/" + Self.hex(SHA256.hash(data: Array(key.utf8)))
    }

    /// Whether `string` is 64 lowercase hexadecimal digits.
    static func isDigest(_ string: String) -> Bool {
        string.utf8.count == 64 && string.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// `context` and the description of `errno`, for ``BlobError/io(_:)``.
func blobIOMessage(_ context: String) -> String {
    "\(context): \(String(cString: strerror(errno)))"
}
