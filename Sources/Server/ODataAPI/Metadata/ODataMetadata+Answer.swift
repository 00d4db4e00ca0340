import HTTPTypes
import NIOCore

extension ODataMetadata {
    /// The answer to `GET $metadata`: what it is made of, before it becomes an HTTP response.
    struct DocumentAnswer: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        /// The document's shared bytes (empty for 304).
        let body: ByteBuffer
    }

    /// `GET $metadata`: CSDL XML, or CSDL JSON when `json`; the gzip copy for an `Accept-Encoding`
    /// that allows it; 304 for a matching `If-None-Match`.
    ///
    /// Both the dedicated route (no query) and the general OData path (`$format=json`, `$batch`)
    /// answer through here, so the two cannot differ.
    func documentAnswer(
        json: Bool,
        acceptEncoding: String?,
        ifNoneMatch: String?,
        version: ODataVersion
    ) -> DocumentAnswer {
        let document = json ? self.json : xml
        let representation = document.representation(acceptEncoding: acceptEncoding)
        guard document.isMatched(by: ifNoneMatch) else {
            return Self.answer(json: json, representation: representation, version: version)
        }
        var headers = HTTPFields()
        headers[.eTag] = representation.etag
        headers[.vary] = "Accept-Encoding"
        headers[.odataVersion] = version.rawValue
        return DocumentAnswer(status: .notModified, headers: headers, body: ByteBuffer())
    }

    /// The 200 answer with `representation`, its headers made in one go.
    static func answer(json: Bool, representation: StaticDocument.Representation, version: ODataVersion)
        -> DocumentAnswer
    {
        var headers = HTTPFields()
        headers.reserveCapacity(5)
        headers[.contentType] = json ? "application/json" : "application/xml;charset=utf-8"
        headers[.eTag] = representation.etag
        headers[.vary] = "Accept-Encoding"
        headers[.odataVersion] = version.rawValue
        headers[.contentEncoding] = representation.contentEncoding
        return DocumentAnswer(status: .ok, headers: headers, body: representation.body)
    }
}
