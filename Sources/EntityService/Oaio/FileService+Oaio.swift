import EntityModel
import EntityStore
import Foundation
import NIOCore

/// EntityHub as the storage host of oaio clients (`/csh/<oaio_id>/<stamp>/<relative path>`): a file
/// put there is staged for that version of the object (``StagedFile``) and taken by the `register/` or
/// `upload/` of that stamp; the files of written versions are read from the versions.
extension FileService {
    /// Stores a file deployed for version `stamp` of object `id` at `path`, staged for the caller.
    ///
    /// Under an object that exists the caller needs ``AccessRight/update``; under an id not registered
    /// yet the file waits for the caller's registration (``StagedFile/retention`` at most).
    public func oaioDeploy<Body: AsyncSequence>(
        _ body: Body,
        id: String,
        stamp: String,
        path: String,
        as caller: Caller
    ) async throws -> OaioFile where Body.Element == ByteBuffer {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to deploy files") }
        let stamp = try service.oaioStampCheck(stamp, field: "stamp")
        let path = try Self.oaioPath(path)
        let declaration = try service.collectionSchema(EntityService.oaioCollection)
        if let problem = declaration.ids.problem(with: id) {
            throw EntityError(.validationFailed, "oaio_id: \(problem)")
        }
        _ = try await service.oaioEntityIfAny(id, needing: .update, as: caller, in: declaration)
        let (sha256, size) = try await store(body, as: caller)
        let file = StagedFile(
            userID: userID,
            collection: EntityService.oaioCollection,
            entityID: id,
            stamp: stamp.description,
            path: path,
            sha256: sha256,
            size: size,
            stagedAt: Date()
        )
        try await service.storeCall { () async throws(StoreError) in try await service.store.stageFile(file) }
        return OaioFile(sha256: sha256, size: size)
    }

    /// The file at `path` of version `stamp` of object `id`: a file of the current version, of a
    /// version the server kept, or one the caller staged. Needs ``AccessRight/read`` on an object that
    /// exists.
    ///
    /// - Throws: ``EntityError/Code/notFound`` when there is no such file the caller may read.
    public func oaioDownload(id: String, stamp: String, path: String, as caller: Caller) async throws(EntityError)
        -> Download
    {
        let path = try Self.oaioPath(path)
        let missing = EntityError(.notFound, "oaio object '\(id)' has no file '\(path)' at stamp \(stamp.prefix(20))")
        guard let file = try await oaioFile(id: id, stamp: stamp, path: path, as: caller),
            let size = try await call({ () async throws(BlobError) in try await blobs.size(of: file.sha256) })
        else { throw missing }
        let content = try await call { () async throws(BlobError) in try await blobs.read(file.sha256, range: nil) }
        let name = path.split(separator: "/").last.map(String.init)
        return Download(content: content, size: size, type: nil, name: name)
    }

    /// Removes what the caller staged at `path` of version `stamp` of object `id` (`path` empty: the
    /// whole version folder, as `wipe_files` names it). An object or path that is gone is no error.
    /// The files of written versions go with their object (``EntityService/oaioDelete(_:as:)``).
    /// Needs ``AccessRight/delete`` on an object that exists.
    public func oaioRemove(id: String, stamp: String, path: String, as caller: Caller) async throws(EntityError) {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to delete files") }
        let path = path.isEmpty ? "" : try Self.oaioPath(path)
        let declaration = try service.collectionSchema(EntityService.oaioCollection)
        _ = try await service.oaioEntityIfAny(id, needing: .delete, as: caller, in: declaration)
        _ = try await service.storeCall { () async throws(StoreError) in
            try await service.store.unstageFiles(
                by: userID,
                for: id,
                in: EntityService.oaioCollection,
                stamp: stamp,
                under: path
            )
        }
    }

    private func oaioFile(id: String, stamp: String, path: String, as caller: Caller) async throws(EntityError)
        -> OaioFile?
    {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to read files") }
        let declaration = try service.collectionSchema(EntityService.oaioCollection)
        if let (entity, _) = try await service.oaioEntityIfAny(id, needing: .read, as: caller, in: declaration) {
            let stamps = try await service.oaioStamps(of: entity)
            let current = OaioVersion.history(of: entity, stamps: stamps).current
            if current.stamp.description == stamp { return current.files[path] }
            if let kept = stamps.first(where: { $0.stamp == stamp }) {
                return OaioVersion.files(in: kept.values[OaioObject.filesKey])[path]
            }
        }
        let staged = try await service.storeCall { () async throws(StoreError) in
            try await service.store.stagedFiles(by: userID, for: id, in: EntityService.oaioCollection, stamp: stamp)
        }
        return staged.first { $0.path == path }.map { OaioFile(sha256: $0.sha256, size: $0.size) }
    }

    /// Checks a file's path relative to its version folder: non-empty segments, none `.` or `..`, no
    /// control characters, at most 1,024 bytes.
    static func oaioPath(_ path: String) throws(EntityError) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, path.utf8.count <= 1024,
            segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
            !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw EntityError(
                .validationFailed,
                "path: expected a relative path of named segments (no empty, '.' or '..' segment), found '\(path.prefix(80))'"
            )
        }
        return path
    }
}
