import EntityModel
import EntityQuery
import EntityStore

/// Compiles a ``Filter`` to a SQL condition over the `entities` table, implementing the semantics
/// documented on ``Filter`` exactly, with bound values only.
///
/// Negations are pushed down to the leaves (De Morgan), so positive leaves stay bare, index-friendly
/// comparisons such as `("values" #> $2::text[]) = $3::jsonb`: `jsonb` equality is already typed
/// (`10 = 10.0`, `"10" <> 10`, `true <> 1`); equalities also compare the value's `jsonb_hash_extended`,
/// which declared indexes hold. Orderings guard the JSON type with `jsonb_typeof` and
/// compare numbers as `numeric` (exactly), strings with `COLLATE "C"` (UTF-8 byte order) and booleans
/// as `boolean`; casts run inside `CASE` so that they never see another type.
enum FilterCompiler {
    static func compile(_ predicate: Filter) -> SQLCondition {
        compile(predicate, negated: false, in: .entity)
    }

    static func compile(_ predicate: Filter, negated: Bool, in scope: FilterScope) -> SQLCondition {
        switch predicate {
        case .and(let children):
            let parts = children.map { compile($0, negated: negated, in: scope) }
            return negated ? .or(parts) : .and(parts)
        case .or(let children):
            let parts = children.map { compile($0, negated: negated, in: scope) }
            return negated ? .and(parts) : .or(parts)
        case .not(let child):
            return compile(child, negated: !negated, in: scope)
        case .compare(let path, let op, let value):
            let source = scope.source(path)
            switch op {
            case .eq: return apply(negated, to: equal(source, value.inferred))
            case .ne: return apply(!negated, to: equal(source, value.inferred))
            case .lt, .le, .gt, .ge: return apply(negated, to: order(source, op, value.inferred))
            }
        case .pattern(let path, let pattern, let caseInsensitive):
            let source = scope.source(path)
            return apply(negated, to: matches(source, pattern, caseInsensitive: caseInsensitive))
        case .membership(let path, let values, let isOut):
            let source = scope.source(path)
            return apply(negated != isOut, to: .or(values.map { equal(source, $0.inferred) }))
        case .isNull(let path, let isNotNull):
            return apply(negated != isNotNull, to: null(scope.source(path)))
        case .regex(let path, let pattern):
            return apply(negated, to: regex(scope.source(path), pattern))
        case .dateTime(let path, let op, let instant):
            let isNE = op == .ne
            return apply(negated != isNE, to: dateTime(scope.source(path), isNE ? .eq : op, instant))
        case .anyElement(let path, let elements, let child):
            return apply(negated, to: anyElement(path, elements, child, in: scope))
        case .compareValues(let lhs, let op, let rhs):
            return compareValues(lhs, op, rhs, negated: negated, in: scope)
        case .stringTest(let test, let lhs, let rhs):
            return stringTest(test, lhs, rhs, negated: negated, in: scope)
        case .valueIn(let value, let values):
            return valueIn(value, values, negated: negated, in: scope)
        case .related(let relation, let child):
            return apply(negated, to: related(relation, child, in: scope))
        case .search(let text):
            return apply(negated, to: search(text, in: scope))
        }
    }

    /// `search`: the entity's `search_words` (never NULL) match the prefix `tsquery`; false inside an
    /// element or a related entity.
    private static func search(_ text: String, in scope: FilterScope) -> SQLCondition {
        guard scope.isEntity else { return .never }
        guard let terms = FullTextSearch.query(text) else { return .always }
        return .sql(SQLFragment("\(scope.table).search_words @@ ") + .bind(.text(terms), "::tsquery"))
    }

    static func apply(_ negated: Bool, to condition: SQLCondition) -> SQLCondition {
        negated ? condition.negated : condition
    }

    // MARK: Leaves

    /// `eq`: numbers numerically, strings and booleans exactly; a JSON `null` field or query value,
    /// arrays and objects are never equal.
    private static func equal(_ source: FieldSource, _ value: JSON) -> SQLCondition {
        switch (source, value) {
        case (.json(let field, _), .string), (.json(let field, _), .integer), (.json(let field, _), .number),
            (.json(let field, _), .bool):
            // The hash term is what a declared index holds (see `prepare(for:)`); `=` decides.
            let bound = SQLFragment.bind(.text(JSONB.text(value)), "::jsonb")
            return .sql(
                SQLFragment("jsonb_hash_extended(") + field + SQLFragment(", 0) = jsonb_hash_extended(")
                    + bound + SQLFragment(", 0) AND ") + field + SQLFragment(" = ") + bound
            )
        case (.textColumn(let column), .string(let text)):
            return .sql(SQLFragment(column + " = ") + SQLFragment.bind(.text(JSONB.sanitized(text))))
        case (.integerColumn(let column), .integer(let integer)):
            return .sql(SQLFragment(column + " = ") + SQLFragment.bind(.integer(integer)))
        case (.integerColumn(let column), .number):
            return .sql(SQLFragment(column + "::numeric = ") + number(value))
        default:
            return .never
        }
    }

    /// `lt le gt ge`: only between two numbers, two strings or two booleans.
    private static func order(_ source: FieldSource, _ op: ComparisonOperator, _ value: JSON) -> SQLCondition {
        let symbol: String
        switch op {
        case .lt: symbol = " < "
        case .le: symbol = " <= "
        case .gt: symbol = " > "
        case .ge: symbol = " >= "
        case .eq, .ne: return equal(source, value)
        }
        switch (source, value) {
        case (.json, .string(let text)), (.textColumn, .string(let text)):
            return .sql(
                SQLFragment("(") + typed(source, "string", source.text) + SQLFragment(#") COLLATE "C""#)
                    + SQLFragment(symbol) + SQLFragment.bind(.text(JSONB.sanitized(text)), #"::text COLLATE "C""#)
            )
        case (.json, .integer), (.json, .number):
            return .sql(typed(source, "number", numeric(source)) + SQLFragment(symbol) + number(value))
        case (.integerColumn(let column), .integer(let integer)):
            return .sql(SQLFragment(column + symbol) + SQLFragment.bind(.integer(integer)))
        case (.integerColumn(let column), .number):
            return .sql(SQLFragment(column + "::numeric" + symbol) + number(value))
        case (.json(let field, _), .bool(let flag)):
            return .sql(
                typed(source, "boolean", field + SQLFragment("::boolean")) + SQLFragment(symbol)
                    + SQLFragment(flag ? "TRUE" : "FALSE")
            )
        default:
            return .never
        }
    }

    /// `like`/`ilike`: the field is a string matching the pattern, `*` the only wildcard.
    private static func matches(_ source: FieldSource, _ pattern: String, caseInsensitive: Bool) -> SQLCondition {
        switch source {
        case .json, .textColumn:
            let text = typed(source, "string", source.text)
            if caseInsensitive {
                // Swift's `lowercased()` (the Evaluator's) maps every scalar on its own, ICU's root
                // locale too except for a word-final capital sigma (to `ς`): mapping `Σ` to `σ` first
                // makes the two agree.
                return .sql(
                    SQLFragment("lower(replace(") + text + SQLFragment(#", 'Σ', 'σ') COLLATE "und-x-icu") LIKE "#)
                        + SQLFragment.bind(.text(like(JSONB.sanitized(pattern.lowercased()))))
                )
            }
            return .sql(text + SQLFragment(" LIKE ") + SQLFragment.bind(.text(like(JSONB.sanitized(pattern)))))
        case .integerColumn, .object, .missing:
            return .never
        }
    }

    /// `isNull`: missing or JSON null.
    private static func null(_ source: FieldSource) -> SQLCondition {
        switch source {
        case .json(let field, _):
            return .sql(field + SQLFragment(" IS NULL OR ") + field + SQLFragment(" = 'null'::jsonb"))
        case .textColumn(let column): return .sql(SQLFragment(column + " IS NULL"))
        case .integerColumn, .object: return .never
        case .missing: return .always
        }
    }

    // MARK: Helpers

    /// `expression` where the field's JSON type is `type`, else NULL (`CASE` keeps casts from failing).
    static func typed(_ source: FieldSource, _ type: String, _ expression: SQLFragment) -> SQLFragment {
        switch source {
        case .json:
            return SQLFragment("(CASE WHEN ") + source.jsonType + SQLFragment(" = '\(type)' THEN ") + expression
                + SQLFragment(" END)")
        default:
            return expression
        }
    }

    /// The field as `numeric` (only meaningful where it is a number).
    static func numeric(_ source: FieldSource) -> SQLFragment {
        switch source {
        case .json(let field, _): return field + SQLFragment("::numeric")
        case .integerColumn(let column): return SQLFragment(column + "::numeric")
        default: return SQLFragment("NULL::numeric")
        }
    }

    /// A JSON number bound as exact `numeric`.
    private static func number(_ value: JSON) -> SQLFragment {
        SQLFragment.bind(.text(JSONB.numberText(value) ?? "0"), "::numeric")
    }

    /// A `LIKE` pattern (escape character `\`) where `*` is the only wildcard.
    static func like(_ pattern: String) -> String {
        var result = ""
        result.reserveCapacity(pattern.utf8.count)
        for character in pattern.unicodeScalars {
            switch character {
            case "*": result += "%"
            case "%", "_", "\\": result += "\\" + String(character)
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
