import EntityModel
import EntityService
import HTTPTypes
import Hummingbird
import Logging

/// Files of entities under `/api/v1`, in the REST API's error format:
///
/// - `PUT /_files/{sha256}`: the whole file, streamed to disk while hashed, kept only when it hashes
///   to `{sha256}` (else 422); more than `--max-file-size` is 413 before a byte is read.
/// - `POST /_files/{sha256}` with `multipart/form-data` (part `file`): the same, from a browser's form.
/// - Resumable uploads (tus core 1.0): `HEAD /_files/{sha256}` answers the `Upload-Offset` of the
///   caller's interrupted upload; `PATCH` with `Upload-Offset` (and `Upload-Length`, the whole size)
///   appends, and stores the file once it is complete.
/// - `POST /_files/missing` with `{"files": [sha256, …]}` → `{"missing": […]}`: the files the caller
///   has to upload before referring to them (never whether someone else holds one).
/// - `GET /{collection}/{id}/_files/{sha256}` (through ``RESTController``): the file as the entity refers to it
///   (`{"$file": "<sha256>", "type", "name"}` anywhere in its values), with the entity's read right
///   (else 404); `Range` (206, 416), `ETag`, `Content-Disposition`.
struct FilesController<Context: RequestContext>: Sendable {
    let files: FileService
    let service: EntityService
    let limits: RESTLimits

    func addRoutes(to router: Router<Context>) {
        router.post("/api/v1/_files/missing") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                try await missing(request)
            }
        }
        let uploads: [(HTTPRequest.Method, @Sendable (Request, String) async throws -> Response)] = [
            (.put, put), (.post, form), (.head, offset), (.patch, patch),
        ]
        for (method, handle) in uploads {
            router.on("/api/v1/_files/:sha256", method: method) { request, context in
                await RESTError.responding(logging: context.logger) { () async throws -> Response in
                    try await handle(request, context.parameters.get("sha256") ?? "")
                }
            }
        }
        // Downloads (`{collection}/{id}/_files/{sha256}`) come through the REST controller, whose
        // paths they extend: a route of their own would shadow its catch-all.
    }

    private func caller(_ request: Request) async throws(EntityError) -> Caller {
        try await service.accounts.authenticate(authorization: request.headers[.authorization], channel: "files")
    }

    /// `POST /_files/missing` with `{"files": [sha256, …]}` → `{"missing": […]}`, in the order given.
    private func missing(_ request: Request) async throws -> Response {
        let caller = try await caller(request)
        let body = try await RESTRequest(request: request, limits: limits).jsonBody()
        guard case .array(let items)? = body?["files"] else {
            throw RESTError(.badRequest, "INVALID_REQUEST", #"request body: expected {"files": ["<sha256>", …]}"#)
        }
        var digests: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let digest) = item else {
                throw RESTError(.badRequest, "INVALID_REQUEST", "files.\(index): expected a SHA-256 digest (a string)")
            }
            digests.append(digest)
        }
        let missing = try await files.missing(digests, as: caller)
        return JSONResponse.make(status: .ok, json: ["missing": .array(missing.map(JSON.string))])
    }

    private func put(_ request: Request, sha256: String) async throws -> Response {
        let caller = try await caller(request)
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > files.maximumSize {
            throw tooLarge(length)
        }
        let isNew = try await files.upload(request.body, sha256: sha256, as: caller)
        return JSONResponse.make(status: isNew ? .created : .ok, json: ["sha256": .string(sha256)])
    }

    /// `POST /_files/{sha256}` with a `multipart/form-data` body whose part `file` is the file (a
    /// browser's form); streamed like a `PUT`.
    private func form(_ request: Request, sha256: String) async throws -> Response {
        let caller = try await caller(request)
        guard let boundary = request.headers[.contentType].flatMap(MultipartFileBytes<RequestBody>.boundary) else {
            throw RESTError(
                .unsupportedMediaType,
                "UNSUPPORTED_MEDIA_TYPE",
                "a POST of a file sends multipart/form-data with a part named 'file' (or PUT the bytes)"
            )
        }
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > files.maximumSize + 64 * 1024 {
            throw tooLarge(length)
        }
        let isNew: Bool
        do {
            isNew = try await files.upload(
                MultipartFileBytes(body: request.body, boundary: boundary),
                sha256: sha256,
                as: caller
            )
        } catch let error as MultipartFileError {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                error == .noFilePart
                    ? "the form has no part named 'file'" : "the multipart/form-data body is malformed"
            )
        }
        return JSONResponse.make(status: isNew ? .created : .ok, json: ["sha256": .string(sha256)])
    }

    private func offset(_ request: Request, sha256: String) async throws -> Response {
        let caller = try await caller(request)
        guard let offset = try await files.uploadOffset(sha256, as: caller) else {
            throw RESTError(.notFound, "NOT_FOUND", "no upload of \(sha256.prefix(64)) is in progress for you")
        }
        var headers = Self.tusHeaders
        headers[.uploadOffset] = String(offset)
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers)
    }

    private func patch(_ request: Request, sha256: String) async throws -> Response {
        let caller = try await caller(request)
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/offset+octet-stream") == true else {
            throw RESTError(
                .unsupportedMediaType,
                "UNSUPPORTED_MEDIA_TYPE",
                "a PATCH of an upload sends Content-Type: application/offset+octet-stream"
            )
        }
        guard let offset = request.headers[.uploadOffset].flatMap(Int64.init), offset >= 0 else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "Upload-Offset: required, the byte the body starts at")
        }
        var length: Int64?
        if let text = request.headers[.uploadLength] {
            guard let value = Int64(text), value >= 0 else {
                throw RESTError(.badRequest, "INVALID_REQUEST", "Upload-Length: expected the file's size in bytes")
            }
            guard value <= files.maximumSize else { throw tooLarge(value) }
            length = value
        }
        let reached = try await files.append(request.body, sha256: sha256, at: offset, length: length, as: caller)
        var headers = Self.tusHeaders
        headers[.uploadOffset] = String(reached)
        return Response(status: .noContent, headers: headers)
    }

    /// `GET /{collection}/{id}/_files/{sha256}`.
    func download(_ request: Request, collection: CollectionPath, id: String, sha256: String, as caller: Caller)
        async throws -> Response
    {
        let range = try request.headers[.range].flatMap(Self.byteRange)
        let file = try await files.download(sha256, of: id, in: collection, range: range, as: caller)
        var headers = HTTPFields()
        headers[.eTag] = "\"\(sha256)\""
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "private, max-age=31536000, immutable"
        if let match = request.headers[.ifNoneMatch], match == "\"\(sha256)\"" || match == "*" {
            return Response(status: .notModified, headers: headers)
        }
        guard let content = file.content else {
            var response = RESTError(.rangeNotSatisfiable, "RANGE_NOT_SATISFIABLE", "the file has \(file.size) bytes")
                .response()
            response.headers[.contentRange] = "bytes */\(file.size)"
            return response
        }
        headers[.contentType] = file.type ?? "application/octet-stream"
        if let name = file.name {
            let safe = name.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline }
            headers[.contentDisposition] = "attachment; filename=\"\(safe)\""
        }
        headers[.contentLength] = String(content.range.count)
        var status = HTTPResponse.Status.ok
        if range != nil {
            status = .partialContent
            headers[.contentRange] = "bytes \(content.range.lowerBound)-\(content.range.upperBound - 1)/\(file.size)"
        }
        return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: content))
    }

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n`; `nil` (the whole file) for several ranges or other units.
    static func byteRange(_ header: String) throws(RESTError) -> FileService.ByteRange? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), !text.contains(",") else { return nil }
        let spec = text.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalidRange(header) }
        if parts[0].isEmpty {
            guard let count = Int64(parts[1]) else { throw invalidRange(header) }
            return .suffix(count)
        }
        guard let start = Int64(parts[0]) else { throw invalidRange(header) }
        if parts[1].isEmpty { return .from(start, through: nil) }
        guard let end = Int64(parts[1]) else { throw invalidRange(header) }
        return .from(start, through: end)
    }

    private static func invalidRange(_ header: String) -> RESTError {
        RESTError(.badRequest, "INVALID_REQUEST", "Range: '\(header.prefix(100))' is not bytes=start-end")
    }

    private func tooLarge(_ length: Int64) -> RESTError {
        RESTError(
            .contentTooLarge,
            "PAYLOAD_TOO_LARGE",
            "the file has \(length) bytes; the limit is \(files.maximumSize) (--max-file-size)"
        )
    }

    private static var tusHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.tusResumable] = "1.0.0"
        return headers
    }
}

extension HTTPField.Name {
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let uploadLength = HTTPField.Name("Upload-Length")!
    static let tusResumable = HTTPField.Name("Tus-Resumable")!
}
