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
        var headers = HTTPFields()
        headers.reserveCapacity(5)
        headers[.eTag] = representation.etag
        headers[.vary] = "Accept-Encoding"
        headers[.odataVersion] = version.rawValue
        if document.isMatched(by: ifNoneMatch) {
            return DocumentAnswer(status: .notModified, headers: headers, body: ByteBuffer())
        }
        headers[.contentType] = json ? "application/json" : "application/xml;charset=utf-8"
        headers[.contentEncoding] = representation.contentEncoding
        return DocumentAnswer(status: .ok, headers: headers, body: representation.body)
    }
}
