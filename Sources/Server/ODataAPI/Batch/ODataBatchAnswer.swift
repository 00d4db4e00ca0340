import EntityModel
import Foundation
import HTTPTypes

/// The answer of a `$batch`: one response per request (a failed changeset collapses into one),
/// written as `multipart/mixed` or as the JSON batch format.
struct ODataBatchAnswer: Sendable {
    struct Entry: Sendable {
        var id: String?
        var atomicityGroup: String?
        var response: ODataResponse
    }

    /// Top-level entries: a single response, or the responses of one successful changeset.
    enum Part: Sendable {
        case single(Entry)
        case changeset([Entry])
    }

    var parts: [Part] = []

    /// Room for the bodies plus the headers of every response, so the answer grows without copies.
    private var estimatedSize: Int {
        parts.reduce(0) { total, part in
            switch part {
            case .single(let entry): return total + entry.response.body.count + 256
            case .changeset(let entries): return entries.reduce(total + 128) { $0 + $1.response.body.count + 256 }
            }
        }
    }

    func response(as format: ODataBatchRequest.Format, version: ODataVersion) -> ODataResponse {
        switch format {
        case .multipart: return multipart(version: version)
        case .json: return json(version: version)
        }
    }

    private func multipart(version: ODataVersion) -> ODataResponse {
        let boundary = "batchresponse_\(UUID().uuidString.lowercased())"
        var output: [UInt8] = []
        output.reserveCapacity(estimatedSize)
        for part in parts {
            output.append(contentsOf: "--\(boundary)\r\n".utf8)
            switch part {
            case .single(let entry):
                Self.writeHTTPPart(entry, into: &output)
            case .changeset(let entries):
                let inner = "changesetresponse_\(UUID().uuidString.lowercased())"
                output.append(contentsOf: "Content-Type: multipart/mixed; boundary=\(inner)\r\n\r\n".utf8)
                for entry in entries {
                    output.append(contentsOf: "--\(inner)\r\n".utf8)
                    Self.writeHTTPPart(entry, into: &output)
                }
                output.append(contentsOf: "--\(inner)--\r\n".utf8)
            }
        }
        output.append(contentsOf: "--\(boundary)--\r\n".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "multipart/mixed; boundary=\(boundary)"
        headers[.odataVersion] = version.rawValue
        return ODataResponse(status: .ok, headers: headers, body: output)
    }

    private static func writeHTTPPart(_ entry: Entry, into output: inout [UInt8]) {
        output.append(contentsOf: "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n".utf8)
        if let id = entry.id {
            output.append(contentsOf: "Content-ID: ".utf8)
            output.append(contentsOf: id.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        let status = entry.response.status
        output.append(contentsOf: "\r\nHTTP/1.1 ".utf8)
        output.append(contentsOf: String(status.code).utf8)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: status.reasonPhrase.utf8)
        output.append(contentsOf: "\r\n".utf8)
        for field in entry.response.headers {
            output.append(contentsOf: field.name.rawName.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: field.value.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        if !entry.response.body.isEmpty {
            output.append(contentsOf: "Content-Length: ".utf8)
            output.append(contentsOf: String(entry.response.body.count).utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
        output.append(contentsOf: entry.response.body)
        output.append(contentsOf: "\r\n".utf8)
    }

    private func json(version: ODataVersion) -> ODataResponse {
        var output: [UInt8] = []
        output.reserveCapacity(estimatedSize)
        output.append(contentsOf: #"{"responses":["#.utf8)
        var first = true
        for entry in parts.flatMap({ part -> [Entry] in
            switch part {
            case .single(let entry): return [entry]
            case .changeset(let entries): return entries
            }
        }) {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            var members = MemberWriter()
            output.append(UInt8(ascii: "{"))
            if let id = entry.id {
                members.add("id", to: &output)
                JSON.writeString(id, into: &output)
            }
            if let group = entry.atomicityGroup {
                members.add("atomicityGroup", to: &output)
                JSON.writeString(group, into: &output)
            }
            members.add("status", to: &output)
            output.append(contentsOf: String(entry.response.status.code).utf8)
            members.add("headers", to: &output)
            JSON.writeObject(
                entry.response.headers.map { (key: $0.name.canonicalName, value: JSON.string($0.value)) },
                into: &output
            )
            if !entry.response.body.isEmpty {
                members.add("body", to: &output)
                let type = entry.response.headers[.contentType]?.lowercased() ?? ""
                if type.hasPrefix("application/json") {
                    output.append(contentsOf: entry.response.body)
                } else if type.hasPrefix("text/") {
                    JSON.writeString(String(decoding: entry.response.body, as: UTF8.self), into: &output)
                } else {
                    JSON.writeString(Base64URL.encode(entry.response.body), into: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "]}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.odataVersion] = version.rawValue
        return ODataResponse(status: .ok, headers: headers, body: output)
    }
}
