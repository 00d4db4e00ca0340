import Foundation
import NIOCore

/// The local file a download is written to: opened for appending (created when missing), with the
/// size it has reached.
final class DownloadTarget {
    private let handle: FileHandle
    private(set) var size: Int64

    init(url: URL) throws(EntityClientError) {
        do {
            if !FileManager.default.fileExists(atPath: url.path) {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
            handle = try FileHandle(forWritingTo: url)
            size = Int64(try handle.seekToEnd())
        } catch {
            throw EntityClientError(
                .invalidArgument,
                errors: ["cannot write the download to \(url.lastPathComponent): \(error)"],
                underlyingError: error
            )
        }
    }

    func append(_ chunk: ByteBuffer) throws {
        try chunk.withUnsafeReadableBytes { bytes in try handle.write(contentsOf: bytes) }
        size += Int64(chunk.readableBytes)
    }

    /// Empties the file (an answer with the whole file, or a part that cannot be continued).
    func truncate(request: EntityClientError.Request) throws(EntityClientError) {
        do {
            try handle.truncate(atOffset: 0)
            size = 0
        } catch {
            throw EntityClientError(
                .invalidArgument,
                errors: ["cannot empty the download's file: \(error)"],
                request: request,
                underlyingError: error
            )
        }
    }

    func close() throws {
        try handle.close()
    }
}
