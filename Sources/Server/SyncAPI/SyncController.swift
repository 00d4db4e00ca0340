import EntityModel
import EntityService
import HTTPTypes
import Hummingbird
import Logging

/// The sync API under `/api/v1/_sync`: what offline-first clients pull and push. Errors
/// come in the REST API's format, as the rest of `/api/v1`.
///
/// `GET /api/v1/_sync/changes?cursor=&limit=&collections=a,b` answers
/// `{"changes": [{"seq", "op", "collection", "id", "version", "values", "_meta", "right"}], "cursor", "more"}`:
/// one entry per entity (its latest state), `op` being `upsert`, `delete` or `revoke`. Without a
/// cursor it is the snapshot of what the caller may read; pull again with the returned cursor
/// until `more` is false, then whenever something may have changed.
///
/// `POST /api/v1/_sync/push` applies a device's offline writes with a three-way merge, one result
/// each (`applied`, `merged`, `conflict`, `rejected`); `GET /api/v1/_sync/conflicts` lists the
/// conflicts the caller may resolve, `POST /api/v1/_sync/conflicts/{id}/resolve` resolves one.
struct SyncController<Context: RequestContext>: Sendable {
    static var prefix: String { "/api/v1/_sync" }

    let service: EntityService
    let limits: RESTLimits
    let events: SyncEventStreams

    func addRoutes(to router: Router<Context>) {
        router.get("\(Self.prefix)/changes") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                try await changes(request, as: try await authenticate(request))
            }
        }
        router.get("\(Self.prefix)/events") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                try await eventStream(request, as: try await authenticate(request))
            }
        }
        router.post("\(Self.prefix)/push") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                try await push(request, as: try await authenticate(request))
            }
        }
        router.get("\(Self.prefix)/conflicts") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                try await conflicts(request, as: try await authenticate(request))
            }
        }
        router.post("\(Self.prefix)/conflicts/:id/resolve") { request, context in
            await RESTError.responding(logging: context.logger) { () async throws -> Response in
                let id = context.parameters.get("id") ?? ""
                return try await resolve(request, id: id, as: try await authenticate(request))
            }
        }
    }

    private func authenticate(_ request: Request) async throws(EntityError) -> Caller {
        try await service.accounts.authenticate(authorization: request.headers[.authorization], channel: "sync")
    }

    /// The `cursor` query parameter, if any.
    private func cursor(of request: Request) throws(RESTError) -> SyncCursor? {
        guard let token = request.uri.queryParameters["cursor"].map(String.init), !token.isEmpty else { return nil }
        guard let parsed = SyncCursor(token: token) else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "cursor: '\(token.prefix(100))' is not a sync cursor")
        }
        return parsed
    }

    /// `GET /_sync/events?cursor=`: Server-Sent Events (see ``SyncEventStreams``).
    private func eventStream(_ request: Request, as caller: Caller) async throws -> Response {
        let after = try cursor(of: request)?.sequence
        let head = try await service.syncFeedHead(as: caller)
        guard events.admit() else {
            var error = RESTError(.serviceUnavailable, "UNAVAILABLE", "too many open event streams; retry later")
            error.retryAfter = 5
            throw error
        }
        let events = self.events
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                try await events.stream(for: caller, after: after ?? head, into: &writer)
                try await writer.finish(nil)
            }
        )
    }

    private func changes(_ request: Request, as caller: Caller) async throws -> Response {
        let parameters = request.uri.queryParameters
        let cursor = try cursor(of: request)
        var limit: Int?
        if let text = parameters["limit"] {
            guard let value = Int(text) else {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    "limit: expected an integer, found '\(text.prefix(100))'"
                )
            }
            limit = value
        }
        let collections = parameters["collections"].map { list in
            list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let page = try await service.syncChanges(after: cursor, limit: limit, collections: collections, as: caller)
        var output: [UInt8] = []
        output.reserveCapacity(256 + page.changes.count * 256)
        output.append(contentsOf: #"{"changes":["#.utf8)
        for (index, change) in page.changes.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.write(change, into: &output)
        }
        output.append(contentsOf: #"],"cursor":"#.utf8)
        JSON.writeString(page.cursor.token, into: &output)
        output.append(contentsOf: #","more":"#.utf8)
        output.append(contentsOf: (page.more ? "true" : "false").utf8)
        output.append(UInt8(ascii: "}"))
        return JSONResponse.make(status: .ok, bytes: output)
    }

    /// `{"seq", "op", "collection", "id", "version"}`, and for an upsert `values`, `_meta` and `right`.
    static func write(_ change: SyncChange, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"seq":"#.utf8)
        output.append(contentsOf: String(change.sequence).utf8)
        output.append(contentsOf: #","op":"#.utf8)
        JSON.writeString(change.operation.rawValue, into: &output)
        output.append(contentsOf: #","collection":"#.utf8)
        JSON.writeString(change.collection.rawValue, into: &output)
        output.append(contentsOf: #","id":"#.utf8)
        JSON.writeString(change.id, into: &output)
        output.append(contentsOf: #","version":"#.utf8)
        output.append(contentsOf: String(change.version).utf8)
        if let entity = change.entity {
            output.append(contentsOf: #","values":"#.utf8)
            JSON.object(entity.values).write(into: &output)
            output.append(contentsOf: #","_meta":"#.utf8)
            entity.writeMeta(into: &output)
        }
        if let right = change.right {
            output.append(contentsOf: #","right":"#.utf8)
            JSON.writeString(right.rawValue, into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
