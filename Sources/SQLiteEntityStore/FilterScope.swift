import EntityModel
import EntityQuery
import EntityStore

/// Where the paths of a (sub)filter start: the entity, or the element a `json_each` row of an
/// enclosing ``Filter/anyElement(_:_:where:)`` stands for; `prefix` is prepended to every path
/// (a value that is not an array is tested as its own only element, read where it is).
struct FilterScope {
    /// The alias of the `json_each` row whose element the paths start at; `nil` for the entity.
    var element: String?
    /// How many `json_each` rows enclose the scope (names the next alias).
    var depth: Int
    /// Keys prepended to every path.
    var prefix: [String]
    /// The name of the `entities` row the scope belongs to: `entities` itself, or the alias of the
    /// row of an enclosing ``Filter/related(_:where:)`` subquery.
    var table = "entities"
    /// Whether the scope is the entity itself (not an element, a value read in place as an element,
    /// or a related entity): only there does ``Filter/search(_:)`` search.
    var isEntity = false

    static let entity = FilterScope(element: nil, depth: 0, prefix: [], isEntity: true)

    /// The scope of a path below this one's prefix.
    func appending(_ keys: [String]) -> FilterScope {
        FilterScope(element: element, depth: depth, prefix: prefix + keys, table: table)
    }

    /// The JSON text the `json_each` of ``element`` walks: the element's `fullkey` is a path into
    /// it, which reads the element's exact JSON text (`json_each` gives numbers as SQL numbers).
    var elementDocument: SQLFragment?

    /// The scope of the elements of a new `json_each` row over (a path into) `document`.
    func nested(in document: SQLFragment) -> (scope: FilterScope, alias: String) {
        let alias = "entityhub_element\(depth + 1)"
        var scope = FilterScope(element: alias, depth: depth + 1, prefix: [], table: table)
        scope.elementDocument = document
        return (scope, alias)
    }

    /// The JSON text that the value at `path` (relative to this scope) is read from: the values,
    /// or the current element when it is an object (or, for the element itself, an array).
    func document(of path: FieldPath) -> SQLFragment {
        guard let element else { return SQLFragment(#""values""#) }
        if (prefix + path.components).isEmpty {
            return SQLFragment("(CASE WHEN \(element).type IN ('array', 'object') THEN \(element).value END)")
        }
        return SQLFragment("(CASE WHEN \(element).type = 'object' THEN \(element).value END)")
    }

    /// The scope of the `entities` row of a new related-entity subquery, and the row's alias.
    func related() -> (scope: FilterScope, alias: String) {
        let alias = "entityhub_related\(depth + 1)"
        return (FilterScope(element: nil, depth: depth + 1, prefix: [], table: alias), alias)
    }

    /// Where `path` (relative to this scope) reads its value.
    func source(_ path: FieldPath, indexedPaths: Set<[String]>) throws(StoreError) -> FieldSource {
        let components = prefix + path.components
        guard let element else { return try FieldSource(FieldPath(components), indexedPaths: indexedPaths) }
        return try FieldSource(components, inElement: element)
    }
}
