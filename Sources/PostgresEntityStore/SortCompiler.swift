import EntityQuery
import EntityStore

/// Compiles ``SortKey``s to an `ORDER BY` clause implementing the mixed-type order documented on
/// ``SortKey``: a rank by JSON type (missing/null, booleans, numbers, strings, arrays, objects), then
/// the value within the rank; `id` ascending (UTF-8 bytes) breaks ties.
enum SortCompiler {
    static func orderBy(_ keys: [SortKey]) -> SQLFragment {
        var terms: [SQLFragment] = []
        for key in keys {
            // Missing values come first ascending and last descending, as SQL NULLs do not by default.
            let direction = key.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST"
            let source = FieldSource(key.path)
            switch source {
            case .json(let field, _):
                terms.append(
                    SQLFragment("(CASE ") + source.jsonType
                        + SQLFragment(
                            " WHEN 'boolean' THEN 1 WHEN 'number' THEN 2 WHEN 'string' THEN 3"
                                + " WHEN 'array' THEN 4 WHEN 'object' THEN 5 ELSE 0 END)" + direction
                        )
                )
                // Within a rank only that rank's term is non-NULL; arrays and objects keep no order.
                let boolean = FilterCompiler.typed(source, "boolean", field + SQLFragment("::boolean"))
                let number = FilterCompiler.typed(source, "number", FilterCompiler.numeric(source))
                let string = FilterCompiler.typed(source, "string", source.text)
                terms.append(boolean + SQLFragment(direction))
                terms.append(number + SQLFragment(direction))
                terms.append(string + SQLFragment(#" COLLATE "C""# + direction))
            case .textColumn(let column):
                terms.append(SQLFragment(column + #" COLLATE "C""# + direction))
            case .integerColumn(let column):
                terms.append(SQLFragment(column + direction))
            case .object, .missing:
                continue
            }
        }
        terms.append(SQLFragment("id ASC"))
        return SQLFragment(" ORDER BY ") + SQLFragment.joined(terms, separator: ", ")
    }
}
