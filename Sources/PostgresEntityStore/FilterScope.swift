import EntityQuery

/// Where the paths of a (sub)filter start: the entity, or the element a row of an enclosing
/// ``Filter/anyElement(_:_:where:)`` stands for; `prefix` is prepended to every path (a value that
/// is not an array is tested as its own only element, read where it is).
struct FilterScope {
    /// The alias of the row (`jsonb_array_elements` or `jsonb_each`) whose `value` the paths start at;
    /// `nil` for the entity.
    var element: String?
    /// How many rows enclose the scope (names the next alias).
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

    /// The scope of the elements of a new row, and the row's alias.
    func nested() -> (scope: FilterScope, alias: String) {
        let alias = "entityhub_element\(depth + 1)"
        return (FilterScope(element: alias, depth: depth + 1, prefix: [], table: table), alias)
    }

    /// The scope of the `entities` row of a new related-entity subquery, and the row's alias.
    func related() -> (scope: FilterScope, alias: String) {
        let alias = "entityhub_related\(depth + 1)"
        return (FilterScope(element: nil, depth: depth + 1, prefix: [], table: alias), alias)
    }

    /// Where `path` (relative to this scope) reads its value.
    func source(_ path: FieldPath) -> FieldSource {
        let components = prefix + path.components
        guard let element else { return FieldSource(FieldPath(components)) }
        return FieldSource.json(components, in: SQLFragment(element + ".value"), isObject: false)
    }
}
