import EntityQuery
import EntityStore

/// Compiles ``SortKey``s to an `ORDER BY` clause implementing the mixed-type order documented on
/// ``SortKey``: a rank by JSON type (missing/null, booleans, numbers, strings, arrays, objects), then
/// the value within the rank; `id` ascending breaks ties.
enum SortCompiler {
    static func orderBy(
        _ keys: [SortKey],
        indexedPaths: Set<[String]>,
        preferFilterIndex: Bool,
        filterIndexGivesOrder: Bool
    ) throws(StoreError) -> SQLFragment {
        var terms: [SQLFragment] = []
        for key in keys {
            let direction = key.descending ? " DESC" : " ASC"
            let source = try FieldSource(key.path, indexedPaths: indexedPaths)
            switch source {
            case .json(_, let type, _):
                let rank =
                    SQLFragment("CASE ") + type
                    + SQLFragment(
                        " WHEN 'true' THEN 1 WHEN 'false' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'array' THEN 4 WHEN 'object' THEN 5 ELSE 0 END"
                    )
                terms.append(rank + SQLFragment(direction))
                // Arrays and objects keep no order among themselves: their value term is NULL.
                let value =
                    SQLFragment("CASE ") + type
                    + SQLFragment(" WHEN 'array' THEN NULL WHEN 'object' THEN NULL ELSE ") + source.value
                    + SQLFragment(" END")
                terms.append(value + SQLFragment(direction))
            case .textColumn(let column), .integerColumn(let column):
                // NULL (a missing createdBy) sorts first ascending and last descending, as missing should.
                terms.append(SQLFragment(column + direction))
            case .object, .missing:
                continue
            }
        }
        // `+id` keeps the planner from preferring the (collection, id) index over a filter's index,
        // unless an equality on an indexed path (whose index ends in `id`) delivers the order itself.
        let useIndexOrder = keys.isEmpty && filterIndexGivesOrder
        terms.append(SQLFragment(preferFilterIndex && !useIndexOrder ? "+id ASC" : "id ASC"))
        return SQLFragment(" ORDER BY ") + SQLFragment.joined(terms, separator: ", ")
    }
}
