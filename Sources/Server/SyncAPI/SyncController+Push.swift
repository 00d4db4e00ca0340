import EntityModel
import EntityService
import EntityStore
import HTTPTypes
import Hummingbird

extension SyncController {
    /// `POST /_sync/push` → `{"results": [{"mid", "status", "collection", "id", "version"?, "values"?,
    /// "conflicts"?, "error"?}]}`, one per mutation in order.
    func push(_ request: Request, as caller: Caller) async throws -> Response {
        let body = try await RESTRequest(request: request, limits: limits).jsonBody()
        let push = try SyncPushRequest(body)
        let results = try await service.syncPush(push.mutations, device: push.device, as: caller)
        var output: [UInt8] = []
        output.reserveCapacity(64 + results.count * 96)
        output.append(contentsOf: #"{"results":["#.utf8)
        for (index, result) in results.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.json(of: result).write(into: &output)
        }
        output.append(contentsOf: "]}".utf8)
        return JSONResponse.make(status: .ok, bytes: output)
    }

    /// `GET /_sync/conflicts?limit=&after=` → `{"conflicts": [...], "next": id or null}`.
    func conflicts(_ request: Request, as caller: Caller) async throws -> Response {
        let parameters = request.uri.queryParameters
        let limit = try parameters["limit"].map { text throws(RESTError) in
            guard let value = Int(text) else {
                throw RESTError(
                    .badRequest,
                    "INVALID_REQUEST",
                    "limit: expected an integer, found '\(text.prefix(100))'"
                )
            }
            return value
        }
        let after = parameters["after"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let page = try await service.syncConflicts(after: after, limit: limit, as: caller)
        let json = JSON.object([
            "conflicts": .array(page.conflicts.map(\.json)), "next": page.next.map(JSON.string) ?? .null,
        ])
        return JSONResponse.make(status: .ok, json: json)
    }

    /// `POST /_sync/conflicts/{id}/resolve` with `{"value": …}` or `{"keep": "server"}` →
    /// `{"resolved": id, "entity": {...} or null}`.
    func resolve(_ request: Request, id: String, as caller: Caller) async throws -> Response {
        let body = try await RESTRequest(request: request, limits: limits).jsonBody()
        guard case .object(let members) = body else {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                #"request body: expected {"value": …} or {"keep": "server"}"#
            )
        }
        let resolution: SyncResolution
        switch (members["value"], members["keep"]) {
        case (let value?, nil): resolution = .value(value)
        case (nil, .string("server")?): resolution = .keepServer
        default:
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                #"request body: expected exactly one of {"value": …} and {"keep": "server"}"#
            )
        }
        let entity = try await service.resolveSyncConflict(id, resolution, as: caller)
        var output: [UInt8] = []
        output.append(contentsOf: #"{"resolved":"#.utf8)
        JSON.writeString(id, into: &output)
        output.append(contentsOf: #","entity":"#.utf8)
        if let entity { JSONResponse.write(entity, into: &output) } else { output.append(contentsOf: "null".utf8) }
        output.append(UInt8(ascii: "}"))
        return JSONResponse.make(status: .ok, bytes: output)
    }

    static func json(of result: SyncPushResult) -> JSON {
        var members: [String: JSON] = [
            "mid": .string(result.mutationID), "status": .string(result.status.rawValue),
            "collection": .string(result.collection), "id": .string(result.id),
        ]
        if let version = result.version { members["version"] = .integer(version) }
        if let values = result.values { members["values"] = .object(values) }
        if !result.conflicts.isEmpty { members["conflicts"] = .array(result.conflicts.map(\.json)) }
        if let error = result.error {
            let rest = RESTError(error)
            members["error"] = .object([
                "status": .integer(Int64(rest.status.code)), "code": .string(rest.code),
                "message": .string(error.description),
            ])
        }
        return .object(members)
    }
}
