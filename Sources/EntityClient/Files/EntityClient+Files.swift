import AsyncHTTPClient
import EntityModel
import Foundation
import NIOCore
import NIOHTTP1

extension EntityClient {
    /// How many bytes of the caller's interrupted upload of file `sha256` the server holds
    /// (`HEAD /_files/{sha256}`, tus): where a resumed upload continues. `nil` when no upload of the
    /// file by this user is in progress (none started, or it completed).
    ///
    /// ```swift
    /// let offset = try await client.uploadOffset(ofFile: digest) ?? 0
    /// try await client.uploadFile(at: url, sha256: digest, size: size, from: offset)
    /// ```
    public func uploadOffset(ofFile sha256: String) async throws(EntityClientError) -> Int64? {
        let request = ClientRequest(.HEAD, Self.encodedPath(["_files", sha256]))
        let response = try await executor.sendAllowingErrors(request)
        if response.status == 404 { return nil }
        guard response.status < 400 else {
            throw .answer(status: response.status, body: response.body, request: response.request)
        }
        guard let offset = response.headers.first(name: "Upload-Offset").flatMap({ Int64($0) }) else {
            throw EntityClientError(
                .invalidResponse,
                status: response.status,
                errors: ["the answer has no Upload-Offset header"],
                request: response.request
            )
        }
        return offset
    }

    /// The files among `digests` this user has to upload before values may refer to them
    /// (`POST /_files/missing`): all but those they uploaded and those an entity they can read refers
    /// to. At most 1,000 digests per call.
    public func missingFiles(_ digests: [String]) async throws(EntityClientError) -> [String] {
        guard !digests.isEmpty else { return [] }
        let answer = try await send(.POST, "_files/missing", body: ["files": .array(digests.map(JSON.string))])
        guard case .array(let missing)? = answer?["missing"] else {
            throw EntityClientError(.invalidResponse, errors: [#"the answer has no "missing" list"#], request: nil)
        }
        return missing.compactMap(\.stringValue)
    }

    /// Sends bytes `offset..<end` of the local file at `url` (of `size` bytes) as the caller's upload of
    /// `sha256` (tus `PATCH /_files/{sha256}` with `Upload-Offset` and `Upload-Length`), read from disk a
    /// chunk at a time; the server stores the file once its last byte arrives and it hashes to `sha256`.
    /// Returns the server's offset afterwards (`size` when complete).
    ///
    /// A request cut off midway (a lost connection, a cancelled task) leaves the bytes that arrived on
    /// the server: ask ``uploadOffset(ofFile:)`` and continue from there.
    ///
    /// - Parameters:
    ///   - end: Where this request stops; `nil`: the end of the file. A file may be sent in several
    ///     requests, each continuing from the offset the previous one returned.
    ///   - timeout: The longest the whole transfer may take (file transfers are not bounded by
    ///     ``Configuration/timeout``, nor retried).
    ///   - progress: Hears the offset reached in the file after each chunk handed to the connection.
    /// - Throws: ``EntityClientError``; `409` when `offset` is not where the server's upload is, `413`
    ///   for a file over the server's limit, `422` when the bytes do not hash to `sha256`.
    @discardableResult
    public func uploadFile(
        at url: URL,
        sha256: String,
        size: Int64,
        from offset: Int64 = 0,
        upTo end: Int64? = nil,
        timeout: Duration = .seconds(3600),
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(EntityClientError) -> Int64 {
        var request = fileRequest(.PATCH, Self.encodedPath(["_files", sha256]))
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/offset+octet-stream")
        request.headers.replaceOrAdd(name: "Tus-Resumable", value: "1.0.0")
        request.headers.replaceOrAdd(name: "Upload-Offset", value: String(offset))
        request.headers.replaceOrAdd(name: "Upload-Length", value: String(size))
        let stop = max(offset, min(end ?? size, size))
        let chunks = FileChunks(url: url, range: offset..<stop, chunkSize: 1 << 20, progress: progress)
        request.body = .stream(chunks, length: .known(stop - offset))
        let response = try await executeFileRequest(request, timeout: timeout)
        let description = EntityClientError.Request(method: "PATCH", url: request.url)
        do {
            _ = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw EntityClientError(.transport, errors: ["the answer was cut off"], request: description)
        }
        guard let reached = response.headers.first(name: "Upload-Offset").flatMap({ Int64($0) }) else {
            throw EntityClientError(
                .invalidResponse,
                status: Int(response.status.code),
                errors: ["the answer has no Upload-Offset header"],
                request: description
            )
        }
        return reached
    }

    /// Downloads file `sha256` as entity `id` of `collection` refers to it
    /// (`GET /{collection}/{id}/_files/{sha256}`, with the entity's read right) into the local file at
    /// `url`, written as the bytes arrive. Bytes already in that file are kept and only the rest is
    /// asked for (`Range: bytes=<its size>-`), so an interrupted download resumes where it stopped;
    /// the file is created when missing. Returns the file's size once complete.
    ///
    /// ```swift
    /// let size = try await client.downloadFile(digest, of: "N1", in: "notes", to: partialURL)
    /// ```
    ///
    /// Check the bytes against `sha256` before trusting them: a server's answer is not verified here.
    ///
    /// - Parameters:
    ///   - timeout: The longest the whole transfer may take.
    ///   - progress: Hears the size of the local file after each chunk written.
    @discardableResult
    public func downloadFile(
        _ sha256: String,
        of id: String,
        in collection: String,
        to url: URL,
        timeout: Duration = .seconds(3600),
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws(EntityClientError) -> Int64 {
        let segments = collection.split(separator: "/").map(String.init) + [id, "_files", sha256]
        var request = fileRequest(.GET, Self.encodedPath(segments))
        request.headers.replaceOrAdd(name: "Accept", value: "*/*")
        let output = try DownloadTarget(url: url)
        if output.size > 0 { request.headers.replaceOrAdd(name: "Range", value: "bytes=\(output.size)-") }
        let response = try await executeFileRequest(request, timeout: timeout, allowing: [416])
        let description = EntityClientError.Request(method: "GET", url: request.url)
        if response.status.code == 416 {
            // The local part is not a prefix the server can continue: start over.
            try output.truncate(request: description)
            return try await downloadFile(sha256, of: id, in: collection, to: url, timeout: timeout, progress: progress)
        }
        if response.status.code == 200 { try output.truncate(request: description) }
        do {
            for try await chunk in response.body {
                try output.append(chunk)
                progress(output.size)
            }
            try output.close()
        } catch {
            try? output.close()
            throw EntityClientError(
                .transport,
                errors: ["the download was cut off after \(output.size) bytes: \(error)"],
                request: description,
                underlyingError: error
            )
        }
        return output.size
    }

    /// A request of the async API to `{endpoint}/{path}`, with the standard headers.
    private func fileRequest(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: executor.endpoint + "/" + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: executor.configuration.userAgent)
        if let apiKey = executor.apiKey { request.headers.add(name: "Authorization", value: apiKey) }
        for (name, value) in executor.configuration.defaultHeaders {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        return request
    }

    /// Sends `request` once; an answer of 400 or more (other than `allowing`) is thrown as the
    /// server's error, after its body is read.
    private func executeFileRequest(_ request: HTTPClientRequest, timeout: Duration, allowing: Set<Int> = [])
        async throws(EntityClientError) -> HTTPClientResponse
    {
        let description = EntityClientError.Request(method: request.method.rawValue, url: request.url)
        let response: HTTPClientResponse
        do {
            response = try await executor.httpClient.execute(
                request,
                timeout: TimeAmount(timeout),
                logger: executor.configuration.logger
            )
        } catch {
            throw Self.transferError(error, request: description)
        }
        let status = Int(response.status.code)
        guard status >= 400, !allowing.contains(status) else { return response }
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
        throw .answer(status: status, body: body, request: description)
    }

    private static func transferError(_ error: any Error, request: EntityClientError.Request) -> EntityClientError {
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return EntityClientError(.timeout, errors: ["the transfer took too long"], request: request)
        }
        return RequestExecutor.transportError(error, request: request)
    }
}
