import EntityModel

/// What one term of an active context means (JSON-LD 1.1 term definition, the parts EntityHub uses).
public struct TermDefinition: Sendable, Hashable {
    /// The IRI (or keyword, such as `@type` for `type`) the term expands to; `nil` for a term mapped
    /// to `null`, which must not be expanded at all.
    public var iri: String?
    /// `true` for an `@reverse` property.
    public var isReverse = false
    /// The `@type` mapping: `@id`, `@vocab`, `@json`, `@none` or a datatype IRI.
    public var typeMapping: String?
    /// The `@container` mapping as written, e.g. `["@list"]`; empty when there is none.
    public var container: [String] = []
    /// The `@language` mapping: absent (`nil`), `null` (`.some(nil)`) or a lower-cased tag.
    public var language: String??
    /// The `@direction` mapping: absent (`nil`), `null` (`.some(nil)`), `ltr` or `rtl`.
    public var direction: String??
    /// The `@index` mapping, kept only to compare definitions.
    public var index: String?
    /// The `@nest` mapping, kept only to compare definitions.
    public var nest: String?
    /// A scoped `@context`; only the core context has one (`ngsildproof`), and it is never applied.
    public var scopedContext: JSON?
    /// A protected term keeps its definition: later contexts cannot change it.
    public var isProtected = false
    /// Whether the term may be used as the prefix of a compact IRI (`prefix:suffix`).
    public var isPrefix = false

    /// A definition expanding to `iri`, with nothing else set.
    public init(iri: String?) {
        self.iri = iri
    }

    /// The key of the container in the inverse context: the sorted container keywords joined, or `@none`.
    var containerKey: String {
        container.isEmpty ? "@none" : container.sorted().joined()
    }
}
