import EntityModel
import EntityQuery
import EntityStore
import Foundation
import GRDB

/// Value expressions (``Filter/compareValues(_:_:_:)``, ``Filter/stringTest(_:_:_:)``,
/// ``Filter/valueIn(_:_:)``).
///
/// A value expression compiles to SQL giving the value's JSON text (`->` keeps numbers as written),
/// or NULL when missing. Operations run in `entityhub_*` functions (see `SQLFunctions`) that apply
/// the ``Evaluator``'s own code to the JSON texts, so results are the reference's exactly. A
/// comparison of a field with a literal that means the same as ``Filter/compare(_:_:_:)`` compiles as
/// that, so it can use the field's index.
extension FilterCompiler {
    func compareValues(
        _ lhs: ValueExpression,
        _ op: ComparisonOperator,
        _ rhs: ValueExpression,
        negated: Bool,
        in scope: FilterScope
    ) throws(StoreError) -> SQLCondition {
        if let plain = Filter.plainComparison(lhs, op, rhs) {
            return try compile(plain, negated: negated, in: scope)
        }
        let call =
            SQLFragment("entityhub_compare(?, ", [op.rawValue.databaseValue]) + (try jsonText(lhs, in: scope))
            + SQLFragment(", ") + (try jsonText(rhs, in: scope)) + SQLFragment(")")
        return apply(negated, to: .sql(call))
    }

    func stringTest(
        _ test: StringTest,
        _ lhs: ValueExpression,
        _ rhs: ValueExpression,
        negated: Bool,
        in scope: FilterScope
    ) throws(StoreError) -> SQLCondition {
        let call =
            SQLFragment("entityhub_string_test(?, ", [test.rawValue.databaseValue]) + (try jsonText(lhs, in: scope))
            + SQLFragment(", ") + (try jsonText(rhs, in: scope)) + SQLFragment(")")
        return apply(negated, to: .sql(call))
    }

    func valueIn(
        _ expression: ValueExpression,
        _ values: [JSON],
        negated: Bool,
        in scope: FilterScope
    ) throws(StoreError) -> SQLCondition {
        if let plain = Filter.plainMembership(expression, values) {
            return try compile(plain, negated: negated, in: scope)
        }
        guard !values.isEmpty else { return apply(negated, to: .never) }
        let list = QueryCopy.replacingNUL(.array(values)).description
        let call =
            SQLFragment("entityhub_in(") + (try jsonText(expression, in: scope))
            + SQLFragment(", ?)", [list.databaseValue])
        return apply(negated, to: .sql(call))
    }

    /// The SQL giving the JSON text of `expression`'s value (NULL for a missing field).
    func jsonText(_ expression: ValueExpression, in scope: FilterScope) throws(StoreError) -> SQLFragment {
        switch expression {
        case .field(let path):
            return try jsonText(path, in: scope)
        case .literal(let value):
            return SQLFragment("?", [QueryCopy.replacingNUL(value).description.databaseValue])
        case .arithmetic(let op, let lhs, let rhs):
            return SQLFragment("entityhub_arithmetic(?, ", [op.rawValue.databaseValue])
                + (try jsonText(lhs, in: scope)) + SQLFragment(", ") + (try jsonText(rhs, in: scope))
                + SQLFragment(")")
        case .negate(let operand):
            return SQLFragment("entityhub_negate(") + (try jsonText(operand, in: scope)) + SQLFragment(")")
        case .call(.now, []):
            // One instant for the whole query, as the Evaluator formats it.
            return SQLFragment("?", [JSON.string(Timestamp.format(Date())).description.databaseValue])
        case .call(let function, let arguments):
            var call = SQLFragment("entityhub_call(?", [function.rawValue.databaseValue])
            for argument in arguments { call += SQLFragment(", ") + (try jsonText(argument, in: scope)) }
            return call + SQLFragment(")")
        }
    }

    /// The JSON text of the value at `path` in `scope`; the element of a `json_each` row itself is
    /// read at its `fullkey` in the walked document.
    private func jsonText(_ path: FieldPath, in scope: FilterScope) throws(StoreError) -> SQLFragment {
        let components = scope.prefix + path.components
        if let alias = scope.element {
            if components.isEmpty, let document = scope.elementDocument {
                return SQLFragment("(") + document + SQLFragment(" -> \(alias).fullkey)")
            }
            guard let text = JSONPath.text(components) else { throw JSONPath.unqueryable(FieldPath(components)) }
            return SQLFragment(
                "((CASE WHEN \(alias).type = 'object' THEN \(alias).value END) -> ?)",
                [text.databaseValue]
            )
        }
        switch try FieldSource(FieldPath(components), indexedPaths: []) {
        case .json:
            guard let text = JSONPath.text(components) else { throw JSONPath.unqueryable(FieldPath(components)) }
            return SQLFragment("(\(scope.table).\"values\" -> ?)", [text.databaseValue])
        case .textColumn(let column), .integerColumn(let column):
            // `json_quote(NULL)` is `null`, which is what a missing value is here.
            return SQLFragment("json_quote(\(scope.table).\(column))")
        case .object:
            return SQLFragment("'{}'")
        case .missing:
            return SQLFragment("NULL")
        }
    }
}
