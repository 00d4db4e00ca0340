import Foundation
import NIOCore

/// Content-addressed storage for files: each blob is stored once under the SHA-256 of its bytes, and
/// is written and read as a stream of chunks, never as a whole in memory.
///
/// An upload goes to an upload session named by an opaque key (e.g. `"<userID>/<sha256>"`): its
/// chunks are appended, possibly across several requests when a connection breaks, and ``complete(key:sha256:)``
/// checks the digest and publishes the blob. A blob stored already is not stored twice.
///
/// ```swift
/// let offset = try await blobs.partialUploadOffset(key: key) ?? 0
/// _ = try await blobs.append(request.body, key: key, expectedOffset: offset, maximumSize: 100 << 20)
/// try await blobs.complete(key: key, sha256: sha256)
/// for try await chunk in try await blobs.read(sha256, range: nil) { try await writer.write(chunk) }
/// ```
///
/// Digests are 64 lowercase hexadecimal digits; every operation rejects anything else with
/// ``BlobError/invalidDigest``. Upload keys may be any string.
public protocol BlobStore: Sendable {
    /// Whether the blob with digest `sha256` is stored.
    func contains(_ sha256: String) async throws(BlobError) -> Bool

    /// The size in bytes of the blob with digest `sha256`, or `nil` when it is not stored.
    func size(of sha256: String) async throws(BlobError) -> Int64?

    /// The bytes of the blob with digest `sha256`, in chunks; with a `range`, only the bytes at those
    /// offsets. As in HTTP, a range that reaches past the end is cut at the last byte.
    ///
    /// Fails with ``BlobError/notFound`` when the blob is not stored, and with
    /// ``BlobError/rangeNotSatisfiable(size:)`` when `range` starts at or after the end of the blob.
    func read(_ sha256: String, range: ClosedRange<Int64>?) async throws(BlobError) -> BlobContent

    /// Removes the blob with digest `sha256`; returns whether it was stored.
    @discardableResult
    func remove(_ sha256: String) async throws(BlobError) -> Bool

    /// Sets the blob with digest `sha256` aside: it is no longer ``contains(_:)``, but ``read(_:range:)``
    /// brings it back, and ``complete(key:sha256:)`` of the same digest replaces it, until
    /// ``removeRetired(_:)`` deletes it. Returns whether the blob was stored.
    func retire(_ sha256: String) async throws(BlobError) -> Bool

    /// Deletes the blob `sha256` that ``retire(_:)`` set aside; returns whether there was one.
    func removeRetired(_ sha256: String) async throws(BlobError) -> Bool

    /// The blobs stored, those set aside too, in digest order after the digest `cursor` (from the
    /// first when `nil`), at most `limit`: for a sweep of the blobs no store record knows.
    func storedBlobs(after cursor: String?, limit: Int) async throws(BlobError) -> [StoredBlob]

    /// The number of bytes the upload session `key` holds, or `nil` when there is no such session.
    func partialUploadOffset(key: String) async throws(BlobError) -> Int64?

    /// Appends `chunks` to the upload session `key` (starting one when `expectedOffset` is 0 and there
    /// is none) and returns the session's new size.
    ///
    /// Fails with ``BlobError/offsetMismatch(expected:found:)`` when the session does not hold exactly
    /// `expectedOffset` bytes, with ``BlobError/tooLarge(limit:)`` (and discards the session) when it
    /// would grow past `maximumSize` bytes, and with ``BlobError/uploadInProgress`` while another
    /// append or completion works on the same session. When `chunks` fails, its error is rethrown
    /// unchanged and the bytes appended so far stay: the upload can resume at
    /// ``partialUploadOffset(key:)``.
    func append<Chunks: AsyncSequence>(
        _ chunks: Chunks,
        key: String,
        expectedOffset: Int64,
        maximumSize: Int64
    ) async throws -> Int64 where Chunks.Element == ByteBuffer

    /// Ends the upload session `key`: when the SHA-256 of its bytes is `sha256`, the bytes become the
    /// blob `sha256` (or are dropped when that blob is stored already); otherwise the session is
    /// discarded and the call fails with ``BlobError/digestMismatch(expected:actual:)``.
    ///
    /// Fails with ``BlobError/notFound`` when there is no such session.
    func complete(key: String, sha256: String) async throws(BlobError)

    /// Ends the upload session `key` as the blob its bytes hash to, and returns that digest: for files
    /// sent without their digest (what oaio's storage host receives).
    ///
    /// Fails with ``BlobError/notFound`` when there is no such session.
    func complete(key: String) async throws(BlobError) -> String

    /// Discards the upload session `key`, if any (a new upload of the whole file starts over);
    /// ``BlobError/uploadInProgress`` while another request writes it.
    func discardPartialUpload(key: String) async throws(BlobError)

    /// Discards the upload sessions that were last written before `date`, except those in use now;
    /// returns how many it discarded.
    @discardableResult
    func removePartialUploads(olderThan date: Date) async throws(BlobError) -> Int
}

/// A blob as ``BlobStore/storedBlobs(after:limit:)`` lists it.
public struct StoredBlob: Sendable, Hashable {
    public var sha256: String
    /// Whether ``BlobStore/retire(_:)`` set it aside.
    public var isRetired: Bool
    /// When its bytes were last written.
    public var modifiedAt: Date

    public init(sha256: String, isRetired: Bool, modifiedAt: Date) {
        self.sha256 = sha256
        self.isRetired = isRetired
        self.modifiedAt = modifiedAt
    }
}

/// An error of a ``BlobStore``. Its description names no file path.
public enum BlobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A digest is not 64 lowercase hexadecimal digits.
    case invalidDigest
    /// The uploaded bytes have another SHA-256 than the one announced; nothing was stored.
    case digestMismatch(expected: String, actual: String)
    /// An upload would exceed `limit` bytes; its bytes were discarded.
    case tooLarge(limit: Int64)
    /// An append expected the upload to hold `expected` bytes, but it holds `found`.
    case offsetMismatch(expected: Int64, found: Int64)
    /// Another append or completion works on the same upload now.
    case uploadInProgress
    /// A range starts at or after the end of a blob of `size` bytes.
    case rangeNotSatisfiable(size: Int64)
    /// The blob or upload does not exist.
    case notFound
    /// The file system failed; the message is for logs.
    case io(String)

    public var description: String {
        switch self {
        case .invalidDigest:
            "a SHA-256 digest must be 64 lowercase hexadecimal digits"
        case .digestMismatch(let expected, let actual):
            "the uploaded bytes have the SHA-256 \(actual), not \(expected)"
        case .tooLarge(let limit):
            "the upload exceeds the limit of \(limit) bytes"
        case .offsetMismatch(let expected, let found):
            "the upload holds \(found) bytes, not \(expected)"
        case .uploadInProgress:
            "another request is writing this upload"
        case .rangeNotSatisfiable(let size):
            "the range starts after the end of the file (\(size) bytes)"
        case .notFound:
            "no such file"
        case .io(let message):
            message
        }
    }
}

/// The bytes of a blob (or of a range of it) as an asynchronous sequence of chunks, read from storage
/// as the sequence is iterated; with the sizes an HTTP answer needs before the first byte.
///
/// ```swift
/// let content = try await blobs.read(sha256, range: 0...1023)
/// // Content-Range: bytes \(content.range.lowerBound)-\(content.range.upperBound - 1)/\(content.blobSize)
/// for try await chunk in content { … }
/// ```
public struct BlobContent: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    public typealias Failure = BlobError
    /// Produces the next chunk, or `nil` at the end.
    public typealias NextChunk = () async throws(BlobError) -> ByteBuffer?

    /// The size of the whole blob in bytes.
    public let blobSize: Int64
    /// The offsets of the bytes the sequence yields (empty for an empty blob).
    public let range: Range<Int64>
    private let makeNextChunk: @Sendable () -> NextChunk

    /// Content whose chunks come from a fresh `makeNextChunk()` per iteration: what a ``BlobStore``
    /// implementation returns.
    public init(blobSize: Int64, range: Range<Int64>, makeNextChunk: @escaping @Sendable () -> NextChunk) {
        self.blobSize = blobSize
        self.range = range
        self.makeNextChunk = makeNextChunk
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextChunk: makeNextChunk())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = ByteBuffer
        public typealias Failure = BlobError
        let nextChunk: NextChunk

        public mutating func next() async throws(BlobError) -> ByteBuffer? {
            try await nextChunk()
        }
    }
}
