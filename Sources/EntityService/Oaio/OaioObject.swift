import EntityModel
import EntityStore
import Foundation

/// An object as an oaio client sees it: the entity of collection `oaio` with the id, its current
/// version (values, files and stamp) and the previous one, and the caller's right on it.
///
/// The entity holds the client's values as they are, plus ``filesKey`` (relative path → file
/// reference) when files are attached; oaio clients never see that key.
public struct OaioObject: Sendable, Hashable {
    /// The member of an entity's values that lists the files of its version: relative path →
    /// `{"$file": sha256, "size", "name"}`.
    public static let filesKey = "_files"

    public var id: String
    /// The current version: its stamp, values (without ``filesKey``) and files by path.
    public var stamp: OaioStamp
    public var values: [String: JSON]
    public var files: [String: OaioFile]
    /// The previous version, when there is one the server kept.
    public var previousStamp: OaioStamp?
    public var previousValues: [String: JSON]
    /// Where the client keeps the files (oaio's `csh_id`).
    public var fileHost: String?
    /// Who wrote the current version, from which device and app.
    public var writer: String
    public var device: String
    public var app: String
    /// The caller's right on the object.
    public var right: AccessRight
}

/// A file of an object's version: the blob and its size.
public struct OaioFile: Sendable, Hashable {
    public var sha256: String
    public var size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }
}

/// One version of an object as the server knows it: what an entity and its ``VersionStamp``s say.
struct OaioVersion: Equatable {
    var stamp: OaioStamp
    var values: [String: JSON]
    var files: [String: OaioFile]
    var fileHost: String?
    var writerID: String?
    var device: String
    var app: String

    /// The current version of `entity` and the one before it, from the stamps kept (newest first).
    ///
    /// A version written with a stamp has it. One written through another protocol has none: its stamp
    /// is its server time, at least one microsecond newer than the newest stamp kept, and the version
    /// before it is the newest stamped one.
    static func history(of entity: Entity, stamps: [VersionStamp]) -> (current: OaioVersion, previous: OaioVersion?) {
        let stamped = stamps.compactMap { stamp in
            OaioStamp(text: stamp.stamp).map { (stamp, OaioVersion(stamp: $0, values: stamp.values, record: stamp)) }
        }
        if let (record, version) = stamped.first, record.version == entity.version {
            return (version.with(values: entity.values), stamped.dropFirst().first?.1)
        }
        let newest = stamped.first?.1
        let serverTime = OaioStamp(entity.updatedAt)
        let stamp = newest.map { max(serverTime, $0.stamp.next) } ?? serverTime
        let current = OaioVersion(
            stamp: stamp,
            values: [:],
            files: [:],
            fileHost: newest?.fileHost,
            writerID: nil,
            device: "",
            app: "entityhub"
        )
        return (current.with(values: entity.values), newest)
    }

    private init(stamp: OaioStamp, values: [String: JSON], record: VersionStamp) {
        self.init(
            stamp: stamp,
            values: [:],
            files: [:],
            fileHost: record.fileHost,
            writerID: record.userID,
            device: record.device,
            app: record.app
        )
        self = with(values: values)
    }

    init(
        stamp: OaioStamp,
        values: [String: JSON],
        files: [String: OaioFile],
        fileHost: String?,
        writerID: String?,
        device: String,
        app: String
    ) {
        self.stamp = stamp
        self.values = values
        self.files = files
        self.fileHost = fileHost
        self.writerID = writerID
        self.device = device
        self.app = app
    }

    /// The version `upload` makes, stamped `stamp` (its checked stamp), with the files staged for it.
    /// A ``OaioObject/filesKey`` member the client sent is no file list: the server's is built from `files`.
    init(_ upload: OaioUpload, stamp: OaioStamp, files: [String: OaioFile], writerID: String) {
        self.init(
            stamp: stamp,
            values: upload.values.filter { $0.key != OaioObject.filesKey },
            files: files,
            fileHost: upload.fileHost,
            writerID: writerID,
            device: upload.device,
            app: upload.app
        )
    }

    /// This version with the values (and files) of an entity's `values`.
    func with(values stored: [String: JSON]) -> OaioVersion {
        var copy = self
        var values = stored
        copy.files = Self.files(in: values.removeValue(forKey: OaioObject.filesKey))
        copy.values = values
        return copy
    }

    /// The entity values of this version: the values, plus ``OaioObject/filesKey`` when files are attached.
    var entityValues: [String: JSON] {
        var stored = values
        if !files.isEmpty {
            stored[OaioObject.filesKey] = .object(
                files.reduce(into: [:]) { members, file in
                    let name = file.key.split(separator: "/").last.map(String.init) ?? file.key
                    members[file.key] = FileReference.value(
                        sha256: file.value.sha256,
                        size: file.value.size,
                        name: name
                    )
                }
            )
        }
        return stored
    }

    /// The files of a ``OaioObject/filesKey`` member, by path.
    static func files(in member: JSON?) -> [String: OaioFile] {
        guard case .object(let members)? = member else { return [:] }
        var files: [String: OaioFile] = [:]
        for (path, reference) in members {
            guard let reference = reference.objectValue,
                case .string(let digest)? = reference[FileReference.key]
            else { continue }
            var size: Int64 = 0
            if case .integer(let stored)? = reference["size"] { size = stored }
            files[path] = OaioFile(sha256: digest, size: size)
        }
        return files
    }
}
