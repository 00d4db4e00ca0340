import EntityModel
import EntityQuery
import EntityStore
import GRDB

/// ``Filter/related(_:where:)``: an `EXISTS` subquery on `entities` for the target collection, its
/// readability (``readable(by:in:table:)``, shared with ``Query/readableBy``) and the child filter,
/// whose unqualified paths read the subquery's row.
extension FilterCompiler {
    func related(_ relation: Relation, _ child: Filter, in scope: FilterScope) throws(StoreError) -> SQLCondition {
        let (inner, alias) = scope.related()
        let link: SQLFragment
        switch relation.link {
        case .reference(let path):
            // The target's (collection, id) key finds it.
            guard let id = try linkText(path, in: scope) else { return .never }
            link = SQLFragment("\(alias).id = ") + id
        case .inverse(let path):
            guard FieldSource.isIndexable(path), let text = JSONPath.text(path.components) else { return .never }
            // Inlined for a declared index on the path, which then finds the targets.
            let jsonPath = SQLFragment(JSONPath.quotedLiteral(text))
            let value = SQLFragment("json_extract(\(alias).\"values\", ") + jsonPath + SQLFragment(")")
            let type = SQLFragment("json_type(\(alias).\"values\", ") + jsonPath + SQLFragment(")")
            guard let id = try linkText("id", in: scope) else { return .never }
            // `+` takes the column's TEXT affinity off the id, which can keep the planner from the index.
            link = value + SQLFragment(" = +") + id + SQLFragment(" AND ") + type + SQLFragment(" = 'text'")
        }
        var condition =
            SQLFragment(
                "EXISTS (SELECT 1 FROM entities AS \(alias) WHERE \(alias).collection = ?",
                [
                    relation.target.storageKey.databaseValue
                ]
            ) + SQLFragment(" AND ") + link
        if let reader = relation.readableBy {
            condition += SQLFragment(" AND ") + Self.readable(by: reader, in: relation.target, table: alias)
        }
        switch try compile(child, negated: false, in: inner) {
        case .never: return .never
        case .always: break
        case .sql(let test): condition += SQLFragment(" AND ") + test.parenthesized
        }
        return .sql(condition + SQLFragment(")"))
    }

    /// The text of the string at `path` of the scope's document (NULL for any other value); `nil`
    /// when the path can never hold a string.
    private func linkText(_ path: FieldPath, in scope: FilterScope) throws(StoreError) -> SQLFragment? {
        let components = scope.prefix + path.components
        if scope.element != nil {
            guard case .json(let value, let type, _) = try scope.source(path, indexedPaths: indexedPaths) else {
                return nil
            }
            return SQLFragment("(CASE WHEN ") + type + SQLFragment(" = 'text' THEN ") + value + SQLFragment(" END)")
        }
        switch try FieldSource(FieldPath(components), indexedPaths: []) {
        case .json:
            guard let text = JSONPath.text(components) else { throw JSONPath.unqueryable(FieldPath(components)) }
            let document = SQLFragment("\(scope.table).\"values\"")
            let source = FieldSource.json(in: document, path: SQLFragment("?", [text.databaseValue]))
            guard case .json(let value, let type, _) = source else { return nil }
            return SQLFragment("(CASE WHEN ") + type + SQLFragment(" = 'text' THEN ") + value + SQLFragment(" END)")
        case .textColumn(let column):
            return SQLFragment("\(scope.table).\(column)")
        case .integerColumn, .object, .missing:
            return nil
        }
    }

    /// The condition that the `entities` row `table` (of `collection`) was created by `reader` or is
    /// granted to them with any right: what ``Query/readableBy`` and ``Relation/readableBy`` require.
    static func readable(by reader: String, in collection: CollectionPath, table: String) -> SQLFragment {
        // The creator, or a grant of any right: a primary-key lookup in `grants` per candidate.
        SQLFragment(
            "(\(table).created_by = ? OR EXISTS (SELECT 1 FROM grants g WHERE g.collection = ?"
                + " AND g.entity_id = \(table).id AND g.user_id = ?))",
            [reader.databaseValue, collection.storageKey.databaseValue, reader.databaseValue]
        )
    }
}
