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

    /// `GET /odata/$metadata` through the general path (`$format=json`, inside `$batch`); see
    /// ``ODataMetadata/documentAnswer(json:acceptEncoding:ifNoneMatch:version:)``.
    func metadataDocument(_ request: ODataRequest, options: ODataQueryOptions) -> ODataResponse {
        let wantsJSON =
            options.format.map { $0.lowercased() == "json" || $0.lowercased().hasPrefix("application/json") }
            ?? false
        let answer = metadata.documentAnswer(
            json: wantsJSON,
            acceptEncoding: request.header(.acceptEncoding),
            ifNoneMatch: request.header(.ifNoneMatch),
            version: version
        )
        return ODataResponse(status: answer.status, headers: answer.headers, body: Array(answer.body.readableBytesView))
    }
}
