import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds JSON responses from entities in the wire shape of the REST API:
/// `{"id": ..., <values>, "_meta": {...}}`.
enum JSONResponse {
    static func make(status: HTTPResponse.Status, bytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func make(status: HTTPResponse.Status, json: JSON, headers: HTTPFields = [:]) -> Response {
        var output: [UInt8] = []
        json.write(into: &output)
        return make(status: status, bytes: output, headers: headers)
    }

    /// Appends one entity: `id` first, then its values in key order, then `_meta`.
    static func write(_ entity: Entity, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"id":"#.utf8)
        JSON.writeString(entity.id, into: &output)
        for key in entity.values.keys.sorted() {
            output.append(UInt8(ascii: ","))
            JSON.writeString(key, into: &output)
            output.append(UInt8(ascii: ":"))
            entity.values[key]!.write(into: &output)
        }
        output.append(contentsOf: #","_meta":"#.utf8)
        entity.writeMeta(into: &output)
        output.append(UInt8(ascii: "}"))
    }

    static func entity(_ entity: Entity, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var output: [UInt8] = []
        write(entity, into: &output)
        var fields = headers
        fields[.eTag] = ETag.header(for: entity.version)
        return make(status: status, bytes: output, headers: fields)
    }

    static func entities(_ entities: [Entity], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(entities.count * 256)
        for (index, entity) in entities.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            write(entity, into: &output)
        }
        output.append(UInt8(ascii: "]"))
        return make(status: status, bytes: output, headers: headers)
    }
}

/// Entity versions as HTTP entity tags: version 3 is `"3"`.
enum ETag {
    static func header(for version: Int64) -> String { "\"\(version)\"" }

    /// The version an `If-Match` header asks for: `nil` for no header or `*`; throws on anything
    /// that is not one of our tags.
    static func expectedVersion(from header: String?) throws(RESTError) -> Int64? {
        guard var text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text != "*" else { return nil }
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        guard let version = Int64(text), version > 0 else {
            throw RESTError(
                .preconditionFailed,
                "VERSION_MISMATCH",
                "If-Match: '\(header ?? "")' is not a version of this entity"
            )
        }
        return version
    }
}
