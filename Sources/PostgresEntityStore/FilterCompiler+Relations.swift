import EntityModel
import EntityQuery
import EntityStore

/// ``Filter/related(_:where:)``: an `EXISTS` subquery on `entities` for the target collection, its
/// readability (``readable(by:in:table:)``, shared with ``Query/readableBy``) and the child filter,
/// whose unqualified paths read the subquery's row.
extension FilterCompiler {
    static func related(_ relation: Relation, _ child: Filter, in scope: FilterScope) -> SQLCondition {
        let (inner, alias) = scope.related()
        let link: SQLFragment
        switch relation.link {
        case .reference(let path):
            // The target's (collection, id) key finds it.
            guard let id = linkText(path, in: scope) else { return .never }
            link = SQLFragment("\(alias).id = ") + id
        case .inverse(let path):
            guard FieldSource.isIndexable(path), let id = linkText("id", in: scope) else { return .never }
            // The hash term is what a declared index on the path holds (see `prepare(for:)`).
            guard
                case .json(let value, _) = FieldSource.json(
                    path.components,
                    in: SQLFragment("\(alias).\"values\""),
                    isObject: true
                )
            else { return .never }
            let target = SQLFragment("to_jsonb(") + id + SQLFragment(")")
            link =
                SQLFragment("jsonb_hash_extended(") + value + SQLFragment(", 0) = jsonb_hash_extended(") + target
                + SQLFragment(", 0) AND ") + value + SQLFragment(" = ") + target
        }
        var condition =
            SQLFragment("EXISTS (SELECT 1 FROM entities AS \(alias) WHERE \(alias).collection = ")
            + .bind(.text(relation.target.storageKey)) + SQLFragment(" AND ") + link
        if let reader = relation.readableBy {
            // No stored name holds U+0000 (text columns cannot), so such a reader reads nothing.
            if AccessTables.isUnstorable(reader) { return .never }
            condition += SQLFragment(" AND ") + readable(by: reader, in: relation.target, table: alias)
        }
        switch compile(child, negated: false, in: inner) {
        case .never: return .never
        case .always: break
        case .sql(let test): condition += SQLFragment(" AND ") + test.parenthesized
        }
        return .sql(condition + SQLFragment(")"))
    }

    /// The text of the string at `path` of the scope's document (NULL for any other value); `nil`
    /// when the path can never hold a string.
    private static func linkText(_ path: FieldPath, in scope: FilterScope) -> SQLFragment? {
        let source: FieldSource
        if scope.element == nil, !scope.prefix.isEmpty || FieldSource.isIndexable(path) {
            source = FieldSource.json(
                scope.prefix + path.components,
                in: SQLFragment("\(scope.table).\"values\""),
                isObject: true
            )
        } else {
            source = scope.source(path)
        }
        switch source {
        case .json(let value, let text):
            return SQLFragment("(CASE WHEN jsonb_typeof(") + value + SQLFragment(") = 'string' THEN ") + text
                + SQLFragment(" END)")
        case .textColumn(let column):
            return SQLFragment(scope.element == nil ? "\(scope.table).\(column)" : column)
        case .integerColumn, .object, .missing:
            return nil
        }
    }

    /// The condition that the `entities` row `table` (of `collection`) was created by `reader` or
    /// `reader` holds a grant on it, of any right: what ``Query/readableBy`` and ``Relation/readableBy``
    /// require. One lookup in the primary key of `grants` per entity (or one hashed scan of the
    /// reader's grants).
    static func readable(by reader: String, in collection: CollectionPath, table: String) -> SQLFragment {
        SQLFragment("(\(table).created_by = ") + .bind(.text(reader))
            + SQLFragment(" OR EXISTS (SELECT 1 FROM grants g WHERE g.collection = ")
            + .bind(.text(collection.storageKey))
            + SQLFragment(" AND g.entity_id = \(table).id AND g.user_id = ") + .bind(.text(reader))
            + SQLFragment("))")
    }
}
