import EntityModel
import EntityQuery

/// The service's model and its `$metadata` documents, built once at start: CSDL XML (for every
/// `Accept`, as tdom and python-odata need) and CSDL JSON (`$format=json`), each a
/// ``StaticDocument``: a gzip copy made once and strong ETags derived from the bytes, so an
/// unchanged schema answers `If-None-Match` with 304.
struct ODataMetadata: Sendable {
    let model: ODataModel
    /// The model's names by kind, for the URL parser.
    let names: ODataNameModel
    let xml: StaticDocument
    let json: StaticDocument
    /// Entity sets whose writes need `If-Match` (`"requireETag": true`).
    let requiringETags: Set<String>
    /// Recently parsed request URLs.
    let parsedURIs = ODataURICache()

    init(schema: Schema) throws(SchemaError) {
        model = try ODataModel(schema: schema)
        names = ODataNameModel(model)
        requiringETags = Set(
            schema.allCollections.filter { $0.schema.requiresETag }.map { ODataNames.identifier($0.key) }
        )
        xml = StaticDocument(Array(CSDLXML.document(model, requiringETags: requiringETags).utf8))
        var jsonBytes: [UInt8] = []
        CSDLJSON.document(model, requiringETags: requiringETags).write(into: &jsonBytes)
        json = StaticDocument(jsonBytes)
    }
}
