import EntityModel
import EntityQuery
import EntityStore
import GRDB

/// The leaves NGSI-LD needs: regular expressions, date-time order and quantifiers over elements.
extension FilterCompiler {
    /// `regex`: strings only, by `entityhub_regexp` (the Evaluator's matcher).
    func regex(_ source: FieldSource, _ pattern: String) -> SQLCondition {
        let call = SQLFragment("entityhub_regexp(?, ", [pattern.databaseValue]) + source.value + SQLFragment(")")
        switch source {
        case .json: return .sql(type(source, ["text"]) + SQLFragment(" AND ") + call)
        case .textColumn: return .sql(call)
        case .integerColumn, .object, .missing: return .never
        }
    }

    /// `dateTime` with `op` other than `.ne`: `entityhub_instant` gives the order key of a date-time
    /// string (NULL for anything else), compared with the instant's.
    func dateTime(_ source: FieldSource, _ op: ComparisonOperator, _ instant: ISO8601Instant) -> SQLCondition {
        let symbol: String
        switch op {
        case .eq, .ne: symbol = "="
        case .lt: symbol = "<"
        case .le: symbol = "<="
        case .gt: symbol = ">"
        case .ge: symbol = ">="
        }
        switch source {
        case .json, .textColumn:
            return .sql(
                SQLFragment("entityhub_instant(") + source.value
                    + SQLFragment(") \(symbol) ?", [instant.orderKey.databaseValue])
            )
        case .integerColumn, .object, .missing:
            return .never
        }
    }

    /// `anyElement`: a `json_each` over an array (or an object's members) with the child compiled
    /// against its rows; a present value that is not an array is its own element, read in place.
    func anyElement(
        _ path: FieldPath,
        _ elements: ElementSource,
        _ child: Filter,
        in scope: FilterScope
    ) throws(StoreError) -> SQLCondition {
        let source = try scope.source(path, indexedPaths: indexedPaths)
        let inPlace = scope.appending(path.components)
        switch (source, elements) {
        case (.json(_, let type, let tree), .arrayElements):
            let each = try exists(tree, of: scope.document(of: path), child, in: scope)
            let single = try compile(child, negated: false, in: inPlace)
            return .or([
                .and([.sql(type + SQLFragment(" = 'array'")), each]),
                .and([.sql(type + SQLFragment(" <> 'array'")), single]),
            ])
        case (.json(_, let type, let tree), .memberValues):
            return .and([
                .sql(type + SQLFragment(" = 'object'")),
                try exists(tree, of: scope.document(of: path), child, in: scope),
            ])
        case (.textColumn(let column), .arrayElements):
            return .and([.sql(SQLFragment(column + " IS NOT NULL")), try compile(child, negated: false, in: inPlace)])
        case (.integerColumn, .arrayElements), (.object, .arrayElements):
            return try compile(child, negated: false, in: inPlace)
        case (.object, .memberValues):
            // The document (values, `id`, `_meta`) or `_meta` (its columns), which the values do not hold.
            var members: [SQLCondition] = []
            if inPlace.prefix.isEmpty {
                let values = SQLFragment(#""values""#)
                members.append(try exists(values, of: values, child, in: scope))
                for key in ["id", Entity.metaKey] {
                    members.append(try compile(child, negated: false, in: inPlace.appending([key])))
                }
            } else {
                for key in ["version", "created", "updated", "createdBy"] {
                    let member = inPlace.appending([key])
                    let value = try compile(child, negated: false, in: member)
                    if case .textColumn(let column) = try member.source(.root, indexedPaths: indexedPaths) {
                        members.append(.and([.sql(SQLFragment(column + " IS NOT NULL")), value]))
                    } else {
                        members.append(value)
                    }
                }
            }
            return .or(members)
        case (.textColumn, .memberValues), (.integerColumn, .memberValues), (.missing, _):
            return .never
        }
    }

    /// `EXISTS` a row of `json_each(tree)` satisfying `child`, where `tree` walks (a path of) the JSON
    /// text `document`.
    private func exists(
        _ tree: SQLFragment,
        of document: SQLFragment,
        _ child: Filter,
        in scope: FilterScope
    ) throws(StoreError) -> SQLCondition {
        let (inner, alias) = scope.nested(in: document)
        switch try compile(child, negated: false, in: inner) {
        case .never:
            return .never
        case let condition:
            return .sql(
                SQLFragment("EXISTS (SELECT 1 FROM json_each(") + tree
                    + SQLFragment(") AS \(alias) WHERE ") + condition.fragment + SQLFragment(")")
            )
        }
    }
}
