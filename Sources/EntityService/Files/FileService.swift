import EntityModel
import EntityStore
import Foundation
import NIOCore

/// Files of entities: uploaded once per content (SHA-256), referred to from values as
/// `{"$file": "<sha256>", "size", "type", "name"}`, and read through an entity that refers to them,
/// with that entity's read right.
///
/// ```swift
/// let files = service.files(in: try FileSystemBlobStore(directory: URL(filePath: "data/files")))
/// try await files.upload(body, sha256: digest, as: caller)
/// let download = try await files.download(digest, of: "N1", in: CollectionPath("notes"), range: nil, as: caller)
/// ```
public struct FileService: Sendable {
    let service: EntityService
    let blobs: any BlobStore
    /// The largest file accepted (`--max-file-size`).
    public let maximumSize: Int64

    /// What a download serves: the bytes, and what the referring value says of them.
    public struct Download: Sendable {
        /// The bytes asked for; `nil` when the range asked for lies outside the file (HTTP 416).
        public let content: BlobContent?
        /// The size of the whole file.
        public let size: Int64
        /// The reference's `type` and `name`, if it had them.
        public let type: String?
        public let name: String?
    }

    /// A byte range of a download (HTTP `Range: bytes=…`).
    public enum ByteRange: Sendable, Hashable {
        /// From `start` through `end` (to the end of the file when `nil`), inclusive.
        case from(Int64, through: Int64?)
        /// The last `count` bytes.
        case suffix(Int64)

        /// The offsets of a file of `size` bytes this range names, or `nil` when it names none.
        func offsets(in size: Int64) -> ClosedRange<Int64>? {
            switch self {
            case .from(let start, let end):
                guard start >= 0, start < size, end.map({ $0 >= start }) ?? true else { return nil }
                return start...min(end ?? size - 1, size - 1)
            case .suffix(let count):
                guard count > 0, size > 0 else { return nil }
                return max(0, size - count)...(size - 1)
            }
        }
    }

    /// Stores the file `sha256` from `body` (the whole file), kept only when the digest matches.
    /// Returns whether the content was new to the store.
    ///
    /// - Throws: ``EntityError/Code/unauthenticated`` for anonymous callers;
    ///   ``EntityError/Code/invalidRequest`` for a malformed digest; ``EntityError/Code/validationFailed``
    ///   when the bytes do not hash to `sha256`, ``EntityError/Code/conflict`` while another upload of
    ///   the caller writes the same file; a too large file as ``EntityError/Code/invalidRequest``.
    @discardableResult
    public func upload<Body: AsyncSequence>(_ body: Body, sha256: String, as caller: Caller) async throws -> Bool
    where Body.Element == ByteBuffer {
        let key = try uploadKey(sha256, caller)
        let existed = try await call { () async throws(BlobError) in try await blobs.contains(sha256) }
        try await call { () async throws(BlobError) in try await blobs.discardPartialUpload(key: key) }
        try await append(body, sha256: sha256, at: 0, length: nil, as: caller)
        try await complete(key, sha256: sha256, as: caller)
        return !existed
    }

    /// Stores `body` (a whole file sent without its digest) as the blob its bytes hash to, records that
    /// the caller uploaded it, and returns its digest and size. Nothing stays of a body that fails or
    /// grows past the size limit.
    ///
    /// - Throws: ``EntityError/Code/unauthenticated`` for anonymous callers; a too large file as
    ///   ``EntityError/Code/invalidRequest``.
    public func store<Body: AsyncSequence>(_ body: Body, as caller: Caller) async throws -> (
        sha256: String, size: Int64
    )
    where Body.Element == ByteBuffer {
        guard let user = caller.userID else { throw EntityError(.unauthenticated, "sign in to upload files") }
        let key = user + "/unnamed/" + UUID().uuidString
        let size: Int64
        let sha256: String
        do {
            size = try await blobs.append(body, key: key, expectedOffset: 0, maximumSize: maximumSize)
            sha256 = try await blobs.complete(key: key)
        } catch {
            try? await blobs.discardPartialUpload(key: key)
            if let error = error as? BlobError { throw map(error) }
            throw error
        }
        do {
            try await service.store.recordFileUpload(sha256, by: user, at: Date())
        } catch {
            throw service.map(error)
        }
        return (sha256, size)
    }

    /// How many bytes of the caller's interrupted upload of `sha256` are stored (`nil`: none): where a
    /// resumed upload continues.
    public func uploadOffset(_ sha256: String, as caller: Caller) async throws(EntityError) -> Int64? {
        let key = try uploadKey(sha256, caller)
        return try await call { () async throws(BlobError) in try await blobs.partialUploadOffset(key: key) }
    }

    /// Appends `body` at `offset` to the caller's upload of `sha256`; once `length` bytes are there
    /// (when given), checks the digest and stores the file. Returns the new offset.
    @discardableResult
    public func append<Body: AsyncSequence>(
        _ body: Body,
        sha256: String,
        at offset: Int64,
        length: Int64?,
        as caller: Caller
    ) async throws -> Int64 where Body.Element == ByteBuffer {
        let key = try uploadKey(sha256, caller)
        if let length, length > maximumSize { throw tooLarge() }
        let limit = min(length ?? maximumSize, maximumSize)
        let reached: Int64
        do {
            reached = try await blobs.append(body, key: key, expectedOffset: offset, maximumSize: limit)
        } catch let error as BlobError {
            throw map(error)
        }
        if let length, reached == length { try await complete(key, sha256: sha256, as: caller) }
        return reached
    }

    /// Publishes the upload `key` as file `sha256` when its bytes hash to it, and records that the
    /// caller uploaded the file: they may refer to it from now on.
    private func complete(_ key: String, sha256: String, as caller: Caller) async throws(EntityError) {
        try await call { () async throws(BlobError) in try await blobs.complete(key: key, sha256: sha256) }
        guard let user = caller.userID else { return }
        do {
            try await service.store.recordFileUpload(sha256, by: user, at: Date())
        } catch {
            throw service.map(error)
        }
    }

    /// The most digests one ``missing(_:as:)`` call takes.
    public static let maximumMissingQuery = 1000

    /// The files among `digests` the caller has to upload before referring to them: all but those
    /// they uploaded and those an entity they can read refers to. Whether someone else holds a file
    /// is never told.
    ///
    /// - Throws: ``EntityError/Code/invalidRequest`` for a malformed digest or too many digests.
    public func missing(_ digests: [String], as caller: Caller) async throws(EntityError) -> [String] {
        guard digests.count <= Self.maximumMissingQuery else {
            throw EntityError(
                .invalidRequest,
                "files: at most \(Self.maximumMissingQuery) digests, got \(digests.count)"
            )
        }
        let malformed = digests.enumerated().filter { !FileReference.isDigest($0.element) }
        guard malformed.isEmpty else {
            throw EntityError(
                .invalidRequest,
                malformed.prefix(10).map {
                    "files.\($0.offset): '\($0.element.prefix(80))' is not a SHA-256 digest (64 lowercase hex digits)"
                }
            )
        }
        let available = try await service.filesAvailable(Set(digests), to: caller)
        var seen = Set<String>()
        return digests.filter { !available.contains($0) && seen.insert($0).inserted }
    }

    /// How many files one store call retires or forgets at most (``removeUnreferencedFiles(olderThan:)``).
    static let releaseBatch = 500

    /// The longest a retired file waits before its blob is deleted: longer than any write takes from
    /// checking its file references to committing them.
    static let retirement: Duration = .seconds(600)

    /// Takes the files no entity has referred to for `gracePeriod` (nor been uploaded again) out of
    /// use, and returns how many: they are no longer anyone's upload, and their blobs are set aside.
    /// A file loses its last reference when the last entity referring to it is deleted or stops
    /// referring to it; the grace period lets a writer that read it just before refer to it again,
    /// and lets another process (PostgreSQL) finish serving it.
    ///
    /// The blobs set aside by an earlier call, `min(gracePeriod, 10 minutes)` ago or more, are deleted
    /// for good unless an upload or a write brought their file back meanwhile: a write that checked
    /// its references just before a file was retired still finds its blob.
    @discardableResult
    public func removeUnreferencedFiles(olderThan gracePeriod: Duration) async throws(EntityError) -> Int {
        let now = Date()
        let forgetBefore = now.addingTimeInterval(-TimeInterval(min(gracePeriod, Self.retirement).components.seconds))
        _ = try await inBatches({ () async throws(StoreError) in
            try await service.store.forgetRetiredFiles(before: forgetBefore, limit: Self.releaseBatch)
        }) { digest async throws(BlobError) in _ = try await blobs.removeRetired(digest) }
        let cutoff = now.addingTimeInterval(-TimeInterval(gracePeriod.components.seconds))
        return try await inBatches({ () async throws(StoreError) in
            try await service.store.retireUnreferencedFiles(before: cutoff, limit: Self.releaseBatch)
        }) { digest async throws(BlobError) in _ = try await blobs.retire(digest) }
    }

    /// Sweeps at most `limit` blobs after the digest `cursor` for those no store record knows (left by
    /// a crash between storing a blob and recording it, or between forgetting a file and deleting its
    /// blob), last written before `gracePeriod`: such a blob is set aside, and one set aside already
    /// is deleted. Returns how many it set aside or deleted, and the cursor of the next sweep (`nil`:
    /// start over).
    ///
    /// An upload that records such a blob meanwhile finds it stored or publishes its own bytes, and a
    /// read brings a blob set aside back; a write may refer only to files the store records.
    public func removeUnrecordedBlobs(after cursor: String?, limit: Int, olderThan gracePeriod: Duration)
        async throws(EntityError) -> (removed: Int, next: String?)
    {
        let cutoff = Date().addingTimeInterval(-TimeInterval(gracePeriod.components.seconds))
        let blobs = self.blobs
        let stored = try await call { () async throws(BlobError) in
            try await blobs.storedBlobs(after: cursor, limit: limit)
        }
        let recorded: Set<String>
        do {
            recorded = try await service.store.filesRecorded(Array(Set(stored.map(\.sha256))))
        } catch {
            throw service.map(error)
        }
        var removed = 0
        for blob in stored where !recorded.contains(blob.sha256) && blob.modifiedAt < cutoff {
            let done = try await call { () async throws(BlobError) in
                blob.isRetired ? try await blobs.removeRetired(blob.sha256) : try await blobs.retire(blob.sha256)
            }
            if done { removed += 1 }
        }
        return (removed, stored.count < limit ? nil : stored.last?.sha256)
    }

    /// Calls `next` until it returns fewer than a batch, and `each` for every digest; returns how many.
    private func inBatches(
        _ next: () async throws(StoreError) -> [String],
        _ each: (String) async throws(BlobError) -> Void
    ) async throws(EntityError) -> Int {
        var count = 0
        while true {
            let digests: [String]
            do { digests = try await next() } catch { throw service.map(error) }
            for digest in digests { try await call { () async throws(BlobError) in try await each(digest) } }
            count += digests.count
            if digests.count < Self.releaseBatch { return count }
        }
    }

    /// How long an interrupted upload is kept for its resumption.
    public static let uploadRetention: TimeInterval = 24 * 60 * 60

    /// Discards interrupted uploads last written more than ``uploadRetention`` ago; returns how many.
    @discardableResult
    public func removeStaleUploads() async throws(EntityError) -> Int {
        let date = Date().addingTimeInterval(-Self.uploadRetention)
        return try await call { () async throws(BlobError) in try await blobs.removePartialUploads(olderThan: date) }
    }

    /// File `sha256` as entity `id` of `collection` refers to it, for a caller who may read the entity.
    ///
    /// - Throws: ``EntityError/Code/notFound`` when the caller may not read the entity, or its values
    ///   do not refer to the file (never whether the file exists elsewhere); a bad range as
    ///   ``EntityError/Code/invalidRequest``.
    public func download(
        _ sha256: String,
        of id: String,
        in collection: CollectionPath,
        range: ByteRange?,
        as caller: Caller
    ) async throws(EntityError) -> Download {
        let entity = try await service.get(id, in: collection, as: caller)
        guard let reference = FileReference.reference(to: sha256, in: entity.values),
            let size = try await call({ () async throws(BlobError) in try await blobs.size(of: sha256) })
        else {
            throw EntityError(.notFound, "\(collection.schemaKey) '\(id)' has no file \(sha256.prefix(64))")
        }
        let type = reference["type"]?.stringValue
        let name = reference["name"]?.stringValue
        var offsets: ClosedRange<Int64>?
        if let range {
            guard let within = range.offsets(in: size) else {
                return Download(content: nil, size: size, type: type, name: name)
            }
            offsets = within
        }
        let content = try await call { () async throws(BlobError) in try await blobs.read(sha256, range: offsets) }
        return Download(content: content, size: size, type: type, name: name)
    }

    private func uploadKey(_ sha256: String, _ caller: Caller) throws(EntityError) -> String {
        guard let user = caller.userID else { throw EntityError(.unauthenticated, "sign in to upload files") }
        guard FileReference.isDigest(sha256) else {
            throw EntityError(
                .invalidRequest,
                "'\(sha256.prefix(80))' is not a SHA-256 digest (64 lowercase hex digits)"
            )
        }
        return user + "/" + sha256
    }

    func call<Value>(_ body: () async throws(BlobError) -> Value) async throws(EntityError) -> Value {
        do { return try await body() } catch { throw map(error) }
    }

    private func tooLarge() -> EntityError {
        EntityError(.invalidRequest, "the file is larger than the limit of \(maximumSize) bytes (--max-file-size)")
    }

    private func map(_ error: BlobError) -> EntityError {
        switch error {
        case .invalidDigest: return EntityError(.invalidRequest, "not a SHA-256 digest (64 lowercase hex digits)")
        case .digestMismatch(let expected, let actual):
            return EntityError(.validationFailed, "the bytes hash to \(actual), not \(expected); nothing was stored")
        case .tooLarge: return tooLarge()
        case .offsetMismatch(let expected, let found):
            return EntityError(.conflict, "Upload-Offset \(expected) is not where the upload is: \(found)")
        case .uploadInProgress: return EntityError(.conflict, "another request is writing this upload; retry")
        case .rangeNotSatisfiable(let size):
            return EntityError(.invalidRequest, "range not satisfiable: the file has \(size) bytes")
        case .notFound: return EntityError(.notFound, "no such file")
        case .io(let message):
            service.logger.error("file storage failure", metadata: ["error": "\(message)"])
            return EntityError(.internal, "internal error")
        }
    }
}

extension EntityService {
    /// Files of this service's entities kept in `blobs`, at most `maximumSize` bytes each.
    public func files(in blobs: any BlobStore, maximumSize: Int64 = 1 << 30) -> FileService {
        FileService(service: self, blobs: blobs, maximumSize: maximumSize)
    }
}
