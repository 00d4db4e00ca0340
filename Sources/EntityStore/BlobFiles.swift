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

// The POSIX file operations of `FileSystemBlobStore`.

/// What `stat(2)` says of a file.
struct FileStatus {
    var size: Int64
    var modificationDate: Date
    var device: UInt64
    var inode: UInt64

    /// The status of the file at `path`, or `nil` when there is none.
    init?(path: String) throws(BlobError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .io(blobIOMessage("cannot examine a file"))
        }
        self.init(status)
    }

    init(_ status: stat) {
        size = Int64(status.st_size)
        #if canImport(Darwin)
            let time = status.st_mtimespec
        #else
            let time = status.st_mtim
        #endif
        modificationDate = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// An upload file, open for appending and locked exclusively (`flock(2)`) until released.
final class LockedFile {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)  // releases the lock
    }

    /// The file at `path`, locked; `nil` when there is none and `create` is false. Fails with
    /// ``BlobError/uploadInProgress`` when another holds the lock.
    static func lock(path: String, create: Bool) throws(BlobError) -> LockedFile? {
        while true {
            let flags = O_RDWR | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0)
            let descriptor = open(path, flags, 0o644)
            if descriptor < 0 {
                if errno == EINTR { continue }
                if errno == ENOENT && !create { return nil }
                throw .io(blobIOMessage("cannot open an upload"))
            }
            let file = LockedFile(descriptor: descriptor)
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if errno == EINTR { continue }
                if errno == EWOULDBLOCK { throw .uploadInProgress }
                throw .io(blobIOMessage("cannot lock an upload"))
            }
            // While this waited, the holder of the lock may have published, discarded or replaced the
            // file: then the lock is on a file that is no longer at `path`, so start again.
            let opened = try file.status()
            if let current = try FileStatus(path: path), current.device == opened.device,
                current.inode == opened.inode
            {
                return file
            }
        }
    }

    func status() throws(BlobError) -> FileStatus {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(blobIOMessage("cannot examine an upload")) }
        return FileStatus(status)
    }

    /// Appends the readable bytes of `chunk`.
    func append(_ chunk: ByteBuffer) throws(BlobError) {
        let failure: Int32 = chunk.withUnsafeReadableBytes { bytes in
            var written = 0
            while written < bytes.count {
                let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return 0
        }
        if failure != 0 {
            errno = failure
            throw .io(blobIOMessage("cannot write an upload"))
        }
    }

    /// Flushes the file to the disk.
    func synchronize() throws(BlobError) {
        guard fsync(descriptor) == 0 else { throw .io(blobIOMessage("cannot flush an upload")) }
    }

    /// The SHA-256 of the file's bytes in hexadecimal, read in chunks of 1 MiB.
    func sha256() async throws(BlobError) -> String {
        let chunkSize = FileSystemBlobStore.hashChunkSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var offset: Int64 = 0
        while true {
            let count = pread(descriptor, buffer.baseAddress, chunkSize, off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(blobIOMessage("cannot read an upload"))
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += Int64(count)
            await Task.yield()
        }
        return FileSystemBlobStore.hex(hasher.finalize())
    }
}

/// Reads a range of a blob file in chunks, opening it at the first chunk and closing it at the end
/// (or when dropped).
final class BlobChunkReader {
    private let path: String
    private let chunkSize: Int
    private var offset: Int64
    private let end: Int64
    private var descriptor: Int32 = -1

    init(path: String, range: Range<Int64>, chunkSize: Int) {
        self.path = path
        self.chunkSize = chunkSize
        self.offset = range.lowerBound
        self.end = range.upperBound
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func next() throws(BlobError) -> ByteBuffer? {
        guard offset < end else {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            return nil
        }
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                if errno == ENOENT { throw .notFound }
                throw .io(blobIOMessage("cannot open a blob"))
            }
        }
        let wanted = Int(min(Int64(chunkSize), end - offset))
        var buffer = ByteBufferAllocator().buffer(capacity: wanted)
        var failure: Int32 = 0
        while buffer.readableBytes == 0 {
            let start = offset
            let fd = descriptor
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                let count = pread(fd, bytes.baseAddress, wanted, off_t(start))
                failure = count < 0 ? errno : 0
                return max(count, 0)
            }
            if failure == EINTR { continue }
            if failure != 0 {
                errno = failure
                throw .io(blobIOMessage("cannot read a blob"))
            }
            if buffer.readableBytes == 0 { throw .io("a blob ended before its size") }
        }
        offset += Int64(buffer.readableBytes)
        return buffer
    }
}
