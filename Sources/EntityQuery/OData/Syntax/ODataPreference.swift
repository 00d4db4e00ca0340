/// One preference of a `Prefer` header (OData 4.01 §8.2.8, RFC 7240), names with or without
/// `odata.`.
public enum ODataPreference: Sendable, Hashable {
    case allowEntityReferences
    /// `callback; url="…"`.
    case callback(url: String)
    case continueOnError(Bool)
    /// `include-annotations="…"`: the annotation patterns (`*`, `-Namespace.*`, `Ns.Term#q`).
    case includeAnnotations([String])
    case maxPageSize(Int)
    /// `omit-values=nulls|defaults`.
    case omitValues(String)
    case respondAsync
    /// `return=minimal` (`false`) or `return=representation` (`true`).
    case returnRepresentation(Bool)
    case trackChanges
    /// `wait=N` seconds.
    case wait(Int)
    /// Any other preference (RFC 7240 allows them; a server ignores what it does not know).
    case other(name: String, value: String?)
}
