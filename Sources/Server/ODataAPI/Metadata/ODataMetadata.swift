import EntityModel
import EntityQuery

/// The service's model and its `$metadata` documents, built once at start: CSDL XML (for every
/// `Accept`, as tdom and python-odata need) and CSDL JSON (`$format=json`), each with a strong ETag
/// derived from its bytes, so an unchanged schema answers `If-None-Match` with 304.
struct ODataMetadata: Sendable {
    let model: ODataModel
    /// The model's names by kind, for the URL parser.
    let names: ODataNameModel
    let xml: [UInt8]
    let xmlETag: String
    let json: [UInt8]
    let jsonETag: String
    /// Entity sets whose writes need `If-Match` (`"requireETag": true`).
    let requiringETags: Set<String>

    init(schema: Schema) throws(SchemaError) {
        model = try ODataModel(schema: schema)
        names = ODataNameModel(model)
        requiringETags = Set(
            schema.allCollections.filter { $0.schema.requiresETag }.map { ODataNames.identifier($0.key) }
        )
        xml = Array(CSDLXML.document(model, requiringETags: requiringETags).utf8)
        var jsonBytes: [UInt8] = []
        CSDLJSON.document(model, requiringETags: requiringETags).write(into: &jsonBytes)
        json = jsonBytes
        xmlETag = Self.etag(of: xml)
        jsonETag = Self.etag(of: json)
    }

    /// `"<FNV-1a 64 of the bytes>"`: changes whenever the document does.
    static func etag(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))\""
    }
}
