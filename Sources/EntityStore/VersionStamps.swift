import EntityModel
import Foundation

/// One version of an entity as a client that versions by its own clock made it (the oaio protocol):
/// the client's stamp, device and app, and the values of that version.
///
/// A store keeps the newest ``VersionStamp/kept`` stamps of each entity, written with the version in
/// the write's transaction (``WriteRecords/stamps``) and deleted with the entity. A version written
/// without a stamp (through another protocol) has none: readers derive it from the newest stamp kept.
public struct VersionStamp: Sendable, Hashable {
    /// How many stamps a store keeps per entity, newest first.
    public static let kept = 8

    public var collection: CollectionPath
    public var entityID: String
    /// The entity version the stamp belongs to.
    public var version: Int64
    /// The client's stamp: 20 digits of UTC time, `yyyyMMddHHmmss` and microseconds.
    public var stamp: String
    /// The writer's ``UserRecord/id``, the device and the app it wrote from.
    public var userID: String?
    public var device: String
    public var app: String
    /// Where the client keeps the version's files (oaio's `csh_id`), if it names a place.
    public var fileHost: String?
    /// The values of this version (files included).
    public var values: [String: JSON]

    public init(
        collection: CollectionPath,
        entityID: String,
        version: Int64,
        stamp: String,
        userID: String?,
        device: String,
        app: String,
        fileHost: String? = nil,
        values: [String: JSON]
    ) {
        self.collection = collection
        self.entityID = entityID
        self.version = version
        self.stamp = stamp
        self.userID = userID
        self.device = device
        self.app = app
        self.fileHost = fileHost
        self.values = values
    }
}

/// A file uploaded for a version that is not written yet (the oaio client sends a version's files
/// before its metadata): found by the entity, the stamp and the path the uploader gave, and taken by
/// the write of that version. Kept ``StagedFile/retention`` at most.
public struct StagedFile: Sendable, Hashable {
    /// How long a staged file waits for its version.
    public static let retention: TimeInterval = 24 * 60 * 60

    /// The uploader's ``UserRecord/id``.
    public var userID: String
    public var collection: CollectionPath
    public var entityID: String
    public var stamp: String
    /// The file's path relative to the version's folder.
    public var path: String
    public var sha256: String
    public var size: Int64
    public var stagedAt: Date

    public init(
        userID: String,
        collection: CollectionPath,
        entityID: String,
        stamp: String,
        path: String,
        sha256: String,
        size: Int64,
        stagedAt: Date
    ) {
        self.userID = userID
        self.collection = collection
        self.entityID = entityID
        self.stamp = stamp
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.stagedAt = stagedAt
    }
}

/// What a store keeps of the versions clients stamp themselves (``VersionStamp``) and of the files
/// uploaded ahead of a version (``StagedFile``).
public protocol VersionStampStore: Sendable {
    /// The newest `newest` stamps kept for each of the entities `ids` of `collection`, newest version
    /// first; ids without any are absent. One round trip where the backend can.
    func versionStamps(of ids: [String], in collection: CollectionPath, newest: Int) async throws(StoreError)
        -> [String: [VersionStamp]]

    /// Stages `file`, replacing the one staged by the same user under the same entity, stamp and path.
    func stageFile(_ file: StagedFile) async throws(StoreError)

    /// The files user `userID` staged for version `stamp` of entity `entityID` of `collection`, by path.
    func stagedFiles(by userID: String, for entityID: String, in collection: CollectionPath, stamp: String)
        async throws(StoreError) -> [StagedFile]

    /// Removes the files staged under `entityID` of `collection`, by user `userID`, whose stamp is
    /// `stamp` and whose path is `path` or lies below it (`path` empty: every path of the stamp);
    /// returns how many went.
    func unstageFiles(
        by userID: String,
        for entityID: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    ) async throws(StoreError) -> Int

    /// Drops the files staged before `date`.
    func pruneStagedFiles(before date: Date) async throws(StoreError)
}
