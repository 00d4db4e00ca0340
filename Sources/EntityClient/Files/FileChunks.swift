import Foundation
import NIOCore

/// Bytes `range` of a local file, read from disk one chunk at a time as an upload's body consumes
/// them (never the whole file in memory); `progress` hears the offset reached after each chunk.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let url: URL
    let range: Range<Int64>
    let chunkSize: Int
    let progress: @Sendable (Int64) -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self, position: range.lowerBound)
    }

    struct Iterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var position: Int64
        var handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            guard position < chunks.range.upperBound else {
                try handle?.close()
                handle = nil
                return nil
            }
            let file = try openHandle()
            let count = Int(Swift.min(Int64(chunks.chunkSize), chunks.range.upperBound - position))
            guard let data = try file.read(upToCount: count), !data.isEmpty else {
                throw FileChunksError.shorterThanExpected(at: position)
            }
            position += Int64(data.count)
            chunks.progress(position)
            return ByteBuffer(bytes: data)
        }

        private mutating func openHandle() throws -> FileHandle {
            if let handle { return handle }
            let opened = try FileHandle(forReadingFrom: chunks.url)
            try opened.seek(toOffset: UInt64(position))
            handle = opened
            return opened
        }
    }
}

/// The local file ended before the size the upload announced.
enum FileChunksError: Error {
    case shorterThanExpected(at: Int64)
}
