import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// Value expressions (``Filter/compareValues(_:_:_:)``, ``Filter/stringTest(_:_:_:)``,
/// ``Filter/valueIn(_:_:)``), compiled to `jsonb`-valued SQL (NULL for `null` and missing values).
///
/// Each operation reads its operands once, as the columns of a one-row subquery
/// (`(SELECT … FROM (SELECT <a> AS entityhub_a, <b> AS entityhub_b) AS entityhub_operands)`), and
/// checks their JSON types before any cast. Numbers are `numeric` (exact; an integer is a number of
/// scale 0, see ``ArithmeticOperator``), strings `text` compared `COLLATE "C"`. A comparison of a
/// field with a literal that means the same as ``Filter/compare(_:_:_:)`` compiles as that, so it can
/// use the field's index.
extension FilterCompiler {
    static func compareValues(
        _ lhs: ValueExpression,
        _ op: ComparisonOperator,
        _ rhs: ValueExpression,
        negated: Bool,
        in scope: FilterScope
    ) -> SQLCondition {
        if let plain = Filter.plainComparison(lhs, op, rhs) { return compile(plain, negated: negated, in: scope) }
        let isNE = op == .ne
        let test = binding([value(lhs, in: scope), value(rhs, in: scope)]) { names in
            comparison(isNE ? .eq : op, names[0], names[1])
        }
        return apply(negated != isNE, to: .sql(test))
    }

    static func stringTest(
        _ test: StringTest,
        _ lhs: ValueExpression,
        _ rhs: ValueExpression,
        negated: Bool,
        in scope: FilterScope
    ) -> SQLCondition {
        let condition = binding([value(lhs, in: scope), value(rhs, in: scope)]) { names in
            let (a, b) = (text(names[0]), text(names[1]))
            let holds: SQLFragment
            switch test {
            case .contains: holds = SQLFragment("strpos(\(a), \(b)) > 0")
            case .startswith: holds = SQLFragment("starts_with(\(a), \(b))")
            case .endswith: holds = SQLFragment("right(\(a), char_length(\(b))) = \(b)")
            }
            return SQLFragment("COALESCE(") + holds + SQLFragment(", FALSE)")
        }
        return apply(negated, to: .sql(condition))
    }

    static func valueIn(_ expression: ValueExpression, _ values: [JSON], negated: Bool, in scope: FilterScope)
        -> SQLCondition
    {
        if let plain = Filter.plainMembership(expression, values) { return compile(plain, negated: negated, in: scope) }
        guard !values.isEmpty else { return apply(negated, to: .never) }
        let list = SQLFragment.bind(.text(JSONB.text(.array(values))), "::jsonb")
        let condition = binding([value(expression, in: scope)]) { names in
            SQLFragment("EXISTS (SELECT 1 FROM jsonb_array_elements(") + list
                + SQLFragment(") AS entityhub_list(value) WHERE ")
                + comparison(.eq, names[0], "(NULLIF(entityhub_list.value, 'null'::jsonb))") + SQLFragment(")")
        }
        return apply(negated, to: .sql(condition))
    }

    // MARK: Values

    /// The `jsonb` value of `expression` (NULL for `null`).
    static func value(_ expression: ValueExpression, in scope: FilterScope) -> SQLFragment {
        switch expression {
        case .field(let path):
            switch scope.source(path) {
            case .json(let value, _): return SQLFragment("NULLIF(") + value + SQLFragment(", 'null'::jsonb)")
            case .textColumn(let column), .integerColumn(let column): return SQLFragment("to_jsonb(\(column))")
            case .object: return SQLFragment("'{}'::jsonb")
            case .missing: return SQLFragment("NULL::jsonb")
            }
        case .literal(.null):
            return SQLFragment("NULL::jsonb")
        case .literal(let value):
            return SQLFragment.bind(.text(JSONB.text(value)), "::jsonb")
        case .arithmetic(let op, let lhs, let rhs):
            return binding([value(lhs, in: scope), value(rhs, in: scope)]) { names in
                arithmetic(op, names[0], names[1])
            }
        case .negate(let operand):
            return binding([value(operand, in: scope)]) { names in
                SQLFragment("to_jsonb(-\(numeric(names[0])))")
            }
        case .call(let function, let arguments):
            return call(function, arguments.map { value($0, in: scope) })
        }
    }

    /// `body` over the `values` read once each, as the columns of a one-row subquery (its names
    /// are passed to `body`).
    static func binding(_ values: [SQLFragment], _ body: ([String]) -> SQLFragment) -> SQLFragment {
        let names = values.indices.map { "entityhub_operand\($0)" }
        let columns = zip(values, names).map { value, name in value + SQLFragment(" AS \(name)") }
        return SQLFragment("(SELECT ") + body(names) + SQLFragment(" FROM (SELECT ")
            + SQLFragment.joined(columns, separator: ", ") + SQLFragment(") AS entityhub_operands)")
    }

    /// The string in the `jsonb` column `name` as text (NULL for other values).
    static func text(_ name: String) -> String {
        "(CASE WHEN jsonb_typeof(\(name)) = 'string' THEN \(name) #>> '{}' END)"
    }

    /// The number in the `jsonb` column `name` as `numeric`, NULL for other values and numbers out
    /// of ``ArithmeticOperator``'s range (a magnitude of 10¹⁰⁰ or more, more than 100 decimal places).
    static func numeric(_ name: String) -> String {
        "(CASE WHEN jsonb_typeof(\(name)) = 'number' THEN (CASE WHEN abs((\(name))::numeric) < 1e100"
            + " AND scale((\(name))::numeric) <= 100 THEN (\(name))::numeric END) END)"
    }

    /// `a op b` on two numbers, `null` for anything else (see ``ArithmeticOperator``).
    private static func arithmetic(_ op: ArithmeticOperator, _ a: String, _ b: String) -> SQLFragment {
        let (x, y) = (numeric(a), numeric(b))
        let scale = ArithmeticOperator.decimalDivisionScale
        let shift = "1" + String(repeating: "0", count: scale)
        let unshift = "0." + String(repeating: "0", count: scale - 1) + "1"
        // Truncated toward zero at `scale` places, exactly: `div` is the truncated integer quotient.
        let decimalQuotient = "to_jsonb(div(\(x) * \(shift)::numeric, \(y)) * \(unshift)::numeric)"
        let result: String
        switch op {
        case .add: result = "to_jsonb(\(x) + \(y))"
        case .sub: result = "to_jsonb(\(x) - \(y))"
        case .mul: result = "to_jsonb(\(x) * \(y))"
        case .div:
            result =
                "CASE WHEN \(y) = 0 THEN NULL WHEN scale(\(x)) = 0 AND scale(\(y)) = 0 THEN to_jsonb(div(\(x), \(y)))"
                + " ELSE \(decimalQuotient) END"
        case .divby: result = "CASE WHEN \(y) = 0 THEN NULL ELSE \(decimalQuotient) END"
        case .mod: result = "CASE WHEN \(y) = 0 THEN NULL ELSE to_jsonb(mod(\(x), \(y))) END"
        }
        return SQLFragment("CASE WHEN \(x) IS NOT NULL AND \(y) IS NOT NULL THEN \(result) END")
    }

    /// `a op b` (`op` not `.ne`) on the `jsonb` columns `a` and `b`, as ``Filter/compareValues(_:_:_:)``
    /// documents; never NULL.
    static func comparison(_ op: ComparisonOperator, _ a: String, _ b: String) -> SQLFragment {
        let symbol: String
        switch op {
        case .eq, .ne: symbol = "="
        case .lt: symbol = "<"
        case .le: symbol = "<="
        case .gt: symbol = ">"
        case .ge: symbol = ">="
        }
        let nulls = op == .eq ? "\(a) IS NULL AND \(b) IS NULL" : "FALSE"
        let (ta, tb) = ("(\(a) #>> '{}')", "(\(b) #>> '{}')")
        return SQLFragment(
            "CASE WHEN \(a) IS NULL OR \(b) IS NULL THEN \(nulls)"
                + " WHEN jsonb_typeof(\(a)) = 'number' AND jsonb_typeof(\(b)) = 'number'"
                + " THEN (\(a))::numeric \(symbol) (\(b))::numeric"
                + " WHEN jsonb_typeof(\(a)) = 'boolean' AND jsonb_typeof(\(b)) = 'boolean'"
                + " THEN (\(a))::boolean \(symbol) (\(b))::boolean"
                + " WHEN jsonb_typeof(\(a)) = 'string' AND jsonb_typeof(\(b)) = 'string' THEN COALESCE("
                + "(SELECT entityhub_x \(symbol) entityhub_y FROM (SELECT \(instant(ta)) AS entityhub_x,"
                + " \(instant(tb)) AS entityhub_y) AS entityhub_instants"
                + " WHERE entityhub_x IS NOT NULL AND entityhub_y IS NOT NULL),"
                + " \(ta) COLLATE \"C\" \(symbol) \(tb) COLLATE \"C\")"
                + " ELSE FALSE END"
        )
    }

    /// The instant (exact `numeric` seconds) of the text expression `text`, NULL unless it is a
    /// date-time as ``ISO8601Instant`` accepts it.
    static func instant(_ text: String) -> String {
        "(SELECT \(instantOfT) FROM (SELECT \(text) AS t) AS entityhub_date)"
    }
}
