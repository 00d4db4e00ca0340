import EntityModel
import EntityQuery

/// An entity ready to be written: its type, where it lives, which properties are selected and the
/// navigations expanded into it (loaded beforehand, a page at a time, never one query per entity).
struct ODataEntityTree: Sendable {
    var entity: Entity
    var type: ODataStructuredType
    /// The canonical URL of the entity's collection relative to the service root (`products`).
    var collectionPrefix: String
    /// OData names of the selected structural properties; `nil` selects all.
    var selection: Set<String>?
    var expanded: [(navigation: String, value: ODataExpandedValue)] = []

    /// The canonical URL of the entity relative to the service root (`products('P1')`), built only
    /// where an answer needs it (full metadata, references, nested URLs).
    var path: String { "\(collectionPrefix)(\(ODataKeyPath.literal(entity.id)))" }
}

/// What an expanded navigation holds.
enum ODataExpandedValue: Sendable {
    /// A single-valued navigation: the related entity, or null.
    case single(ODataEntityTree?)
    /// A collection-valued navigation, with the count when `$count=true` was asked for.
    case many([ODataEntityTree], count: Int?)
    /// `Nav/$ref`: the related entities' ids (`@odata.id`), single or many.
    case references([String], isCollection: Bool)
    /// `Nav/$count`.
    case count(Int)
}
