import EntityModel
import Foundation
import HTTPTypes

/// The JSON batch format of OData 4.01 §19: `{"requests": [{"id", "method", "url", "headers",
/// "body", "atomicityGroup", "dependsOn"}]}` in, `{"responses": [...]}` out.
enum ODataJSONBatch {
    static func groups(_ body: [UInt8], serviceRoot: String, maximumJSONDepth: Int) throws(ODataError)
        -> [ODataBatchRequest.Group]
    {
        let document: JSON
        do {
            document = try JSON(parsing: body, maximumDepth: maximumJSONDepth)
        } catch {
            throw ODataError(.badRequest, "the batch body is not JSON: \(error.description)", target: "$batch")
        }
        guard let requests = document["requests"]?.arrayValue else {
            throw ODataError(.badRequest, "a JSON batch is an object with a 'requests' array", target: "$batch")
        }
        var groups: [ODataBatchRequest.Group] = []
        var ids: Set<String> = []
        var groupIDs: Set<String> = []
        for (index, request) in requests.enumerated() {
            let item = try item(request, index: index, serviceRoot: serviceRoot)
            guard let id = item.id else {
                throw ODataError(.badRequest, "request \(index + 1) of the batch has no id", target: "$batch")
            }
            guard ids.insert(id).inserted else {
                throw ODataError(.badRequest, "two requests of the batch have the id '\(id)'", target: "$batch")
            }
            for dependency in item.dependsOn where !ids.contains(dependency) && !groupIDs.contains(dependency) {
                throw ODataError(
                    .badRequest,
                    "request '\(id)' depends on '\(dependency)', which is no earlier request or atomicity group",
                    target: "$batch"
                )
            }
            guard let group = request["atomicityGroup"]?.stringValue else {
                groups.append(ODataBatchRequest.Group(atomicityGroup: nil, items: [item]))
                continue
            }
            if groups.last?.atomicityGroup == group {
                groups[groups.count - 1].items.append(item)
            } else if groupIDs.insert(group).inserted {
                groups.append(ODataBatchRequest.Group(atomicityGroup: group, items: [item]))
            } else {
                throw ODataError(
                    .badRequest,
                    "the requests of atomicity group '\(group)' must be adjacent",
                    target: "$batch"
                )
            }
        }
        return groups
    }

    private static func item(_ request: JSON, index: Int, serviceRoot: String) throws(ODataError)
        -> ODataBatchRequest.Item
    {
        guard let methodName = request["method"]?.stringValue, let method = HTTPRequest.Method(methodName.uppercased())
        else {
            throw ODataError(.badRequest, "request \(index + 1) of the batch has no valid 'method'", target: "$batch")
        }
        guard let url = request["url"]?.stringValue else {
            throw ODataError(.badRequest, "request \(index + 1) of the batch has no 'url'", target: "$batch")
        }
        var headers = HTTPFields()
        for (name, value) in request["headers"]?.objectValue ?? [:] {
            guard let fieldName = HTTPField.Name(name), let text = value.stringValue else { continue }
            headers.append(HTTPField(name: fieldName, value: text))
        }
        var body: [UInt8] = []
        if let value = request["body"], value != .null {
            let type = headers[.contentType]?.lowercased() ?? "application/json"
            switch value {
            case .string(let text) where type.hasPrefix("text/"):
                body = Array(text.utf8)
            case .string(let text) where !type.hasPrefix("application/json"):
                body = Base64URL.decode(text) ?? Array(text.utf8)
            default:
                value.write(into: &body)
                if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            }
        }
        let (path, query) = try ODataBatchRequest.relativeURL(url, serviceRoot: serviceRoot)
        return ODataBatchRequest.Item(
            id: request["id"]?.stringValue,
            request: ODataRequest(method: method, path: path, query: query, headers: headers, body: body),
            dependsOn: request["dependsOn"]?.arrayValue?.compactMap(\.stringValue) ?? []
        )
    }
}

/// base64url (RFC 4648 §5), padding optional.
enum Base64URL {
    static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
