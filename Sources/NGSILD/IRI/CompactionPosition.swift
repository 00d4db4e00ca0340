/// Where a compacted IRI goes; JSON-LD term selection depends on it.
public enum CompactionPosition: Sendable, Hashable {
    /// A member name whose value is an NGSI-LD attribute (a node object): attribute and
    /// sub-attribute names.
    case attributeName
    /// A value that names a class or vocabulary term: entity types, VocabProperty `vocab` values and
    /// `objectType` values.
    case typeValue

    /// The containers a term may declare to be chosen here, most preferred first (JSON-LD 1.1 IRI
    /// compaction, step 4, for a node object without `@id` or `@index`, and for a value-less IRI).
    var preferredContainers: [String] {
        switch self {
        case .attributeName: ["@id", "@id@set", "@type", "@set@type", "@set", "@none", "@index", "@index@set"]
        case .typeValue: ["@set", "@none"]
        }
    }
}
