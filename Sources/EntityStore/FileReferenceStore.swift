import EntityModel
import Foundation

/// What a store knows of the files (blobs) its entities refer to: a reference count per file, kept
/// in every write's transaction, the entities referring to each, and who uploaded what.
///
/// Every entity write keeps the counts: the ``FileReference`` digests in the values written gain a
/// reference, those of the values replaced or deleted lose theirs. A file whose count falls to zero
/// is *released*, with the time. A file released before a grace period is then taken out of use in
/// two steps, so that no blob is deleted under a writer or an uploader that still counts on it:
/// ``retireUnreferencedFiles(before:limit:)`` marks it retired and forgets its uploads (its blob is
/// set aside: ``BlobStore/retire(_:)``), and ``forgetRetiredFiles(before:limit:)``, a while later,
/// forgets the files still retired (their blobs are deleted). A retired file that an upload or a
/// write (checked before it was retired) refers to again is no longer retired.
public protocol FileReferenceStore: Sendable {
    /// Records that user `userID` uploaded file `sha256` (sent all its bytes): they may refer to it
    /// from now on. An unreferenced file counts as released at `date` again, so its grace period
    /// starts over.
    func recordFileUpload(_ sha256: String, by userID: String, at date: Date) async throws(StoreError)

    /// The files among `digests` that user `userID` uploaded and that are still recorded.
    func filesUploaded(_ digests: [String], by userID: String) async throws(StoreError) -> Set<String>

    /// Entities whose values refer to file `sha256`, at most `limit`, in (collection, id) order.
    func fileReferrers(of sha256: String, limit: Int) async throws(StoreError) -> [FileReferrer]

    /// The files among `digests` the store keeps a record of (referred to, uploaded or retired): a
    /// blob whose digest is not among them is known to nobody.
    func filesRecorded(_ digests: [String]) async throws(StoreError) -> Set<String>
    /// How many entities refer to each of `digests`; digests no entity refers to are absent.
    func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int]

    /// Retires at most `limit` files that no entity has referred to since before `date` (and that are
    /// not retired yet): forgets their uploads, and returns their digests, the blobs to set aside. Runs
    /// like a write, so no write that adds a reference interleaves with it.
    func retireUnreferencedFiles(before date: Date, limit: Int) async throws(StoreError) -> [String]
    /// Forgets at most `limit` files retired before `date` that are still retired (no upload or
    /// write referred to them since), and returns their digests: the blobs to delete for good.
    func forgetRetiredFiles(before date: Date, limit: Int) async throws(StoreError) -> [String]
}

/// An entity that refers to a file.
public struct FileReferrer: Sendable, Hashable {
    public var collection: CollectionPath
    public var id: String

    public init(collection: CollectionPath, id: String) {
        self.collection = collection
        self.id = id
    }
}

/// How a batch of writes changes the reference counts of files: the sum, per digest, of the references
/// added and removed. Both stores total a batch (or a run of it) with it before they update the counts.
public struct FileReferenceDelta: Sendable, Hashable {
    /// The change of each digest's count; digests whose changes cancel out are absent.
    public private(set) var changes: [String: Int] = [:]

    public init() {}

    /// Counts the references an entity write removes (`old`) and adds (`new`).
    public mutating func record(removing old: Set<String>, adding new: Set<String>) {
        for digest in old.subtracting(new) { add(-1, to: digest) }
        for digest in new.subtracting(old) { add(1, to: digest) }
    }

    private mutating func add(_ amount: Int, to digest: String) {
        let total = changes[digest, default: 0] + amount
        changes[digest] = total == 0 ? nil : total
    }

    public var isEmpty: Bool { changes.isEmpty }
}
