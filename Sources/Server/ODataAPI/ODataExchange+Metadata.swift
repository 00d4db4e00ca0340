import EntityModel
import EntityQuery
import HTTPTypes

extension ODataExchange {
    /// `GET /odata/`: the entity sets and function imports.
    func serviceDocument(_ request: ODataRequest, options: ODataQueryOptions) throws -> ODataResponse {
        let format = try format(for: request, options: options)
        var output: [UInt8] = []
        var members = MemberWriter()
        output.append(UInt8(ascii: "{"))
        if format.metadata != .none {
            members.add("\(format.annotationPrefix)context", to: &output)
            JSON.writeString("\(serviceRoot)$metadata", into: &output)
        }
        members.add("value", to: &output)
        var entries: [[(String, JSON)]] = model.entitySetNames.map {
            [("name", .string($0)), ("kind", "EntitySet"), ("url", .string($0))]
        }
        for operation in model.operations where operation.binding == .unbound && operation.kind == .function {
            entries.append([
                ("name", .string(operation.name)), ("kind", "FunctionImport"), ("url", .string(operation.name)),
            ])
        }
        output.append(UInt8(ascii: "["))
        for (index, entry) in entries.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSON.writeObject(entry.map { (key: $0.0, value: $0.1) }, into: &output)
        }
        output.append(contentsOf: "]}".utf8)
        return .json(.ok, output, format: format)
    }

    /// `GET /odata/$metadata`: CSDL XML for every `Accept`, CSDL JSON on `$format=json`, gzip for
    /// `Accept-Encoding: gzip`; 304 for a matching `If-None-Match`.
    func metadataDocument(_ request: ODataRequest, options: ODataQueryOptions) -> ODataResponse {
        let wantsJSON =
            options.format.map { $0.lowercased() == "json" || $0.lowercased().hasPrefix("application/json") }
            ?? false
        let document = wantsJSON ? metadata.json : metadata.xml
        let representation = document.representation(acceptEncoding: request.header(.acceptEncoding))
        var headers = HTTPFields()
        headers[.eTag] = representation.etag
        headers[.vary] = "Accept-Encoding"
        headers[.odataVersion] = version.rawValue
        if document.isMatched(by: request.header(.ifNoneMatch)) {
            return ODataResponse(status: .notModified, headers: headers)
        }
        headers[.contentType] = wantsJSON ? "application/json" : "application/xml;charset=utf-8"
        headers[.contentEncoding] = representation.contentEncoding
        return ODataResponse(status: .ok, headers: headers, body: representation.body)
    }
}
