import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds NGSI-LD answers (§2.2, 6.3.6): json answers carry the context in a `Link` header,
/// ld+json answers put `@context` in each entity, 201 and 204 carry no body.
struct NGSILDAnswer: Sendable {
    let type: NGSILDMediaType
    let context: NGSILDContextSource

    /// One rendered entity (or GeoJSON Feature).
    func entity(_ entity: JSON) -> Response {
        var output: [UInt8] = []
        withContext(entity).write(into: &output)
        return make(.ok, output)
    }

    /// A list of rendered entities (a FeatureCollection is built by the caller for geo+json).
    func entities(_ entities: [JSON], headers extra: HTTPFields = [:], links: [String] = []) -> Response {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(entities.count * 256)
        for (index, entity) in entities.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            withContext(entity).write(into: &output)
        }
        output.append(UInt8(ascii: "]"))
        return make(.ok, output, headers: extra, links: links)
    }

    /// Any other JSON document of the answer's type (type lists, GeoJSON collections).
    func document(_ document: JSON, headers extra: HTTPFields = [:], links: [String] = []) -> Response {
        var output: [UInt8] = []
        withContext(document).write(into: &output)
        return make(.ok, output, headers: extra, links: links)
    }

    /// The answer's JSON with `@context` added for ld+json (objects only).
    private func withContext(_ json: JSON) -> JSON {
        guard type == .jsonLD, case .object(var members) = json else { return json }
        members["@context"] = context.echoed
        return .object(members)
    }

    /// The response; the context link (json and geo+json) and `links` (paging) share one `Link` header.
    private func make(
        _ status: HTTPResponse.Status,
        _ bytes: [UInt8],
        headers extra: HTTPFields = [:],
        links: [String] = []
    ) -> Response {
        var headers = extra
        headers[.contentType] = type.rawValue
        let allLinks = (type == .jsonLD ? [] : [context.linkHeader]) + links
        if !allLinks.isEmpty { headers[.link] = allLinks.joined(separator: ", ") }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 201 Created with `Location` and no body.
    static func created(id: String) -> Response {
        let segment = id.addingPercentEncoding(withAllowedCharacters: .ngsildPathSegment) ?? id
        let path = NGSILDRoute.prefix + "/entities/" + segment
        return Response(status: .created, headers: [.location: path])
    }

    /// 204 No Content: no body, no Content-Length.
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// A partial-success or batch body: always `application/json`, no context `Link` (§2.1).
    static func plain(_ status: HTTPResponse.Status, _ json: JSON, headers: HTTPFields = [:]) -> Response {
        JSONResponse.make(status: status, json: json, headers: headers)
    }
}

extension CharacterSet {
    /// What a path segment may hold unescaped: an id's `:` stays as it is, its `/` is escaped.
    static let ngsildPathSegment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
}

extension HTTPResponse.Status {
    /// 207 Multi-Status: a batch or an Append/Update that partly succeeded.
    static let multiStatus = HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status")
}
