import HTTPTypes

/// One OData request, from the HTTP layer or from a part of a `$batch`: everything the exchange
/// reads, with the body already collected (within the body-size limit).
struct ODataRequest: Sendable {
    var method: HTTPRequest.Method
    /// The path after the service root, still percent-encoded (`products('P%2F1')/category`).
    var path: String
    /// The query string without `?`, still percent-encoded.
    var query: String
    var headers: HTTPFields
    var body: [UInt8]

    /// The value of one header, several fields joined with `,`.
    func header(_ name: HTTPField.Name) -> String? {
        let values = headers[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// One OData answer, before it becomes an HTTP response or a part of a `$batch` answer.
struct ODataResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer in the negotiated format.
    static func json(_ status: HTTPResponse.Status, _ body: [UInt8], format: ODataFormat, headers: HTTPFields = [:])
        -> ODataResponse
    {
        var fields = headers
        fields[.contentType] = format.contentType
        fields[.odataVersion] = format.version.rawValue
        return ODataResponse(status: status, headers: fields, body: body)
    }

    /// A `text/plain` answer (`$count`, `$value`).
    static func text(_ text: String, version: ODataVersion) -> ODataResponse {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain;charset=utf-8"
        fields[.odataVersion] = version.rawValue
        return ODataResponse(status: .ok, headers: fields, body: Array(text.utf8))
    }

    /// 204 No Content.
    static func noContent(version: ODataVersion, headers: HTTPFields = [:]) -> ODataResponse {
        var fields = headers
        fields[.odataVersion] = version.rawValue
        return ODataResponse(status: .noContent, headers: fields)
    }

    /// The error answer of `error`.
    static func error(_ error: ODataError, version: ODataVersion = .v4) -> ODataResponse {
        var fields = error.headers
        fields[.contentType] = "application/json;odata.metadata=minimal"
        fields[.odataVersion] = version.rawValue
        return ODataResponse(status: error.status, headers: fields, body: error.bodyBytes)
    }
}

extension HTTPField.Name {
    /// `OData-Version`: the protocol version of a request body or answer.
    static let odataVersion = HTTPField.Name("OData-Version")!
    /// `OData-MaxVersion`: the highest version the client understands.
    static let odataMaxVersion = HTTPField.Name("OData-MaxVersion")!
    /// `OData-EntityId`: the id of an entity created or upserted with a 204 answer.
    static let odataEntityID = HTTPField.Name("OData-EntityId")!
    /// `Content-ID`: names a request of a `$batch` changeset (`$1`).
    static let contentID = HTTPField.Name("Content-ID")!
}

extension HTTPResponse.Status {
    /// 424: a `$batch` request whose `dependsOn` failed.
    static let failedDependency = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
}
