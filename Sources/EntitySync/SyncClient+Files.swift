import EntityClient
import EntityModel
import Foundation

extension SyncClient {
    /// Attaches the local file at `url`: hashes it (SHA-256) while copying it into the replica's file
    /// folder, so it can still be uploaded after the original is moved, and records it for upload on the
    /// next ``sync()``, which sends it before any change that refers to it. Returns the value to put
    /// into an entity's values (works offline):
    ///
    /// ```swift
    /// let photo = try await replica.attach(fileAt: URL(filePath: "cat.jpg"), type: "image/jpeg")
    /// try await replica.create(["title": "Cat", "photo": photo], in: "notes")
    /// try await replica.sync()   // uploads cat.jpg (resuming an interrupted upload), then pushes the note
    /// ```
    ///
    /// - Parameters:
    ///   - type: The media type the server serves the file with (`application/octet-stream` when `nil`).
    ///   - name: The name a download is offered under; `nil`: the file's own name.
    /// - Returns: `{"$file": "<sha256>", "size": N, "type": "…", "name": "…"}`.
    public func attach(fileAt url: URL, type: String? = nil, name: String? = nil) async throws -> JSON {
        try createFilesDirectory()
        let temporary = filesDirectory.appendingPathComponent("attach-\(UUID().uuidString.lowercased()).tmp")
        let copied: (sha256: String, size: Int64)
        do {
            copied = try LocalFile.copy(url, to: temporary)
            try LocalFile.publish(temporary, as: localURL(of: copied.sha256))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try await ReplicaState.recordPending(
            ReplicaState.PendingUpload(sha256: copied.sha256, size: copied.size),
            in: store
        )
        return FileReference.value(
            sha256: copied.sha256,
            size: copied.size,
            type: type,
            name: name ?? url.lastPathComponent
        )
    }

    /// The local path of file `sha256` as entity `id` of `collection` refers to it: the local copy
    /// when the replica has one (attached here, or downloaded before), else downloaded now with the
    /// entity's read right. The download goes to a temporary name, resumes where an interrupted one
    /// stopped (`Range`), and is kept only when its bytes hash to `sha256`.
    ///
    /// ```swift
    /// let note = try await replica.get("N1", in: "notes")
    /// if let digest = note?.values["photo"]?["$file"]?.stringValue {
    ///     let url = try await replica.file(digest, of: "N1", in: "notes")
    /// }
    /// ```
    ///
    /// - Throws: ``EntityClientError`` from the server (`404` when the entity is not readable or does not
    ///   refer to the file); ``SyncClientError`` for a malformed digest or bytes that do not hash to it.
    public func file(_ sha256: String, of id: String, in collection: String) async throws -> URL {
        guard FileReference.isDigest(sha256) else {
            throw SyncClientError("'\(sha256.prefix(80))' is not a SHA-256 digest (64 lowercase hex digits)")
        }
        let target = localURL(of: sha256)
        while downloading.contains(sha256) { try await Task.sleep(for: .milliseconds(50)) }
        if LocalFile.exists(target) { return target }
        downloading.insert(sha256)
        defer { downloading.remove(sha256) }
        try createFilesDirectory()
        let partial = partialURL(of: sha256)
        let observer = transferObserver
        try await client.downloadFile(sha256, of: id, in: collection, to: partial) { completed in
            observer?(FileTransfer(direction: .download, sha256: sha256, completed: completed, size: nil))
        }
        let downloaded = try LocalFile.digest(of: partial)
        guard downloaded.sha256 == sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw SyncClientError("the downloaded bytes hash to \(downloaded.sha256), not \(sha256); discarded")
        }
        try LocalFile.publish(partial, as: target)
        return target
    }

    /// Calls `observer` as file bytes go to or come from the server (`nil` stops it): for progress
    /// bars. It runs on the transfer's thread, so it should return quickly.
    ///
    /// ```swift
    /// await replica.observeFileTransfers { transfer in print(transfer.sha256, transfer.completed) }
    /// ```
    public func observeFileTransfers(_ observer: (@Sendable (FileTransfer) -> Void)?) {
        transferObserver = observer
    }

    /// Where the local copy of file `sha256` is (whether or not it is there).
    func localURL(of sha256: String) -> URL {
        filesDirectory.appendingPathComponent(sha256)
    }

    /// Where an unfinished download of `sha256` is written.
    func partialURL(of sha256: String) -> URL {
        filesDirectory.appendingPathComponent(sha256 + ".download")
    }

    private func createFilesDirectory() throws {
        try FileManager.default.createDirectory(at: filesDirectory, withIntermediateDirectories: true)
    }
}
