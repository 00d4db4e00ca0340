/// Which ids the entities of a collection have: what a client may send as `id`, and what is
/// generated when it sends none. Declared as `"ids"` in a collection's schema.
///
/// ```json
/// {"collections": {"rooms": {"ids": "uri"}}}
/// ```
public enum IDKind: String, Sendable, Hashable, CaseIterable {
    /// URL-safe ids (the default): a client may send 1 to 128 characters of `A-Z a-z 0-9 - _ . ~`;
    /// generated ids follow `idPrefix` and `idPattern`, or are sortable unique ids.
    case urlSafe = "url-safe"
    /// Absolute IRIs, as NGSI-LD names entities (`urn:ngsi-ld:Room:1`): a client-supplied id must pass
    /// ``IRIValidator``; generated ids are `urn:uuid:` and a lowercase UUID.
    case uri
}
