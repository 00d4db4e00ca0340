import EntityModel
import EntityService
import HTTPTypes
import Hummingbird

/// EntityHub as the oaio storage host `Local`: `PUT`, `GET` and `DELETE
/// /csh/<oaio_id>/<stamp>/<relative path>` with `Authorization: Bearer <token>` (the token
/// `csh_args/Local` hands out), streamed into the blob store (``FileService``). `DELETE
/// /csh/<oaio_id>/<stamp>` (what `wipe_files` sends) removes that version's folder; a path that is
/// gone is 204 too.
struct CshController<Context: RequestContext>: Sendable {
    static var prefix: String { "/csh" }

    let files: FileService
    let service: EntityService

    func addRoutes(to router: Router<Context>) {
        let handlers: [(HTTPRequest.Method, @Sendable (Request, CshPath, Caller) async throws -> Response)] = [
            (.put, deploy), (.get, download), (.delete, remove),
        ]
        for (method, handle) in handlers {
            router.on("\(Self.prefix)/**", method: method) { request, context in
                await RESTError.responding(logging: context.logger) { () async throws -> Response in
                    let caller = try await service.accounts.authenticate(
                        authorization: request.headers[.authorization],
                        channel: "oaio"
                    )
                    guard caller.isAuthenticated else {
                        throw EntityError(.unauthenticated, "send the token of csh_args/Local as Authorization: Bearer")
                    }
                    return try await handle(request, try CshPath(request.uri.path, method: method), caller)
                }
            }
        }
    }

    private func deploy(_ request: Request, _ path: CshPath, _ caller: Caller) async throws -> Response {
        guard !path.file.isEmpty else { throw CshPath.noFile }
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > files.maximumSize {
            throw RESTError(
                .contentTooLarge,
                "PAYLOAD_TOO_LARGE",
                "the file has \(length) bytes; the limit is \(files.maximumSize) (--max-file-size)"
            )
        }
        let file = try await files.oaioDeploy(request.body, id: path.id, stamp: path.stamp, path: path.file, as: caller)
        return JSONResponse.make(status: .created, json: ["sha256": .string(file.sha256), "size": .integer(file.size)])
    }

    private func download(_ request: Request, _ path: CshPath, _ caller: Caller) async throws -> Response {
        guard !path.file.isEmpty else { throw CshPath.noFile }
        let file = try await files.oaioDownload(id: path.id, stamp: path.stamp, path: path.file, as: caller)
        guard let content = file.content else { throw EntityError(.notFound, "the file is gone") }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(content.range.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: content))
    }

    private func remove(_ request: Request, _ path: CshPath, _ caller: Caller) async throws -> Response {
        try await files.oaioRemove(id: path.id, stamp: path.stamp, path: path.file, as: caller)
        return Response(status: .noContent)
    }
}

/// The parts of a `/csh/` path, percent-decoded: the object's id, the version's stamp and the file's
/// path relative to the version (empty for the version's folder).
struct CshPath {
    let id: String
    let stamp: String
    let file: String

    init(_ path: String, method: HTTPRequest.Method) throws(RESTError) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2)
        let decoded = segments.map { String($0).removingPercentEncoding }
        guard decoded.count >= 2, let id = decoded.first ?? nil, let stamp = decoded.dropFirst().first ?? nil,
            !id.isEmpty, !stamp.isEmpty, !decoded.contains(nil)
        else {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                "expected /csh/<oaio_id>/<stamp>/<relative path>, percent-encoded UTF-8"
            )
        }
        self.id = id
        self.stamp = stamp
        let rest = decoded.dropFirst(2).compactMap { $0 }
        file = rest.allSatisfy(\.isEmpty) ? "" : rest.joined(separator: "/")
    }

    static let noFile = RESTError(.badRequest, "INVALID_REQUEST", "name a file: /csh/<oaio_id>/<stamp>/<relative path>")
}
