import EntityModel
import EntityQuery
import EntityStore

/// The leaves NGSI-LD needs: regular expressions, date-time order and quantifiers over elements.
extension FilterCompiler {
    /// `regex`: strings only, by PostgreSQL's `~` with the pattern bound.
    static func regex(_ source: FieldSource, _ pattern: String) -> SQLCondition {
        switch source {
        case .json, .textColumn:
            return .sql(
                typed(source, "string", source.text) + SQLFragment(" ~ ")
                    + SQLFragment.bind(.text(JSONB.sanitized(pattern)))
            )
        case .integerColumn, .object, .missing:
            return .never
        }
    }

    /// A strict shape check of `ISO8601Instant`'s form; the day of the month is checked separately.
    static let dateTimeShape =
        "'^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
        + "([.][0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'"

    /// The instant of the text `t` as exact `numeric` seconds since 1970 (NULL unless `t` has the form
    /// ``ISO8601Instant`` accepts). Casts run only after the checks (nested `CASE`), so no text fails
    /// the query.
    static let instantOfT = """
        CASE WHEN t ~ \(dateTimeShape) AND substr(t, 1, 4) <> '0000' THEN \
        CASE WHEN substr(t, 9, 2)::int <= (CASE substr(t, 6, 2) \
        WHEN '02' THEN (CASE WHEN (substr(t, 1, 4)::int % 4 = 0 AND substr(t, 1, 4)::int % 100 <> 0) \
        OR substr(t, 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END) \
        WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END) THEN \
        extract(epoch FROM substr(t, 1, 19)::timestamp)::numeric \
        - (CASE WHEN right(t, 1) = 'Z' THEN 0 \
        ELSE (CASE WHEN substr(t, length(t) - 5, 1) = '-' THEN -1 ELSE 1 END) \
        * (substr(t, length(t) - 4, 2)::int * 3600 + substr(t, length(t) - 1, 2)::int * 60) END) \
        + COALESCE(('0' || substring(t FROM '[.][0-9]+'))::numeric, 0) END END
        """

    /// `dateTime` with `op` other than `.ne`: the field's instant (see `instantOfT`) against the
    /// instant's exact seconds.
    static func dateTime(_ source: FieldSource, _ op: ComparisonOperator, _ instant: ISO8601Instant) -> SQLCondition {
        let symbol: String
        switch op {
        case .eq, .ne: symbol = " = "
        case .lt: symbol = " < "
        case .le: symbol = " <= "
        case .gt: symbol = " > "
        case .ge: symbol = " >= "
        }
        switch source {
        case .json, .textColumn:
            let field =
                SQLFragment("(SELECT \(instantOfT) FROM (SELECT ") + typed(source, "string", source.text)
                + SQLFragment(" AS t) AS entityhub_date)")
            let fraction = instant.fractionDigits.isEmpty ? "0" : "0." + instant.fractionDigits
            let literal =
                SQLFragment("(") + SQLFragment.bind(.text(String(instant.seconds)), "::numeric") + SQLFragment(" + ")
                + SQLFragment.bind(.text(fraction), "::numeric)")
            return .sql(field + SQLFragment(symbol) + literal)
        case .integerColumn, .object, .missing:
            return .never
        }
    }

    /// `anyElement`: `jsonb_array_elements` (or `jsonb_each`) with the child compiled against its rows,
    /// fed only values of the right type; a present value that is not an array is its own element,
    /// read in place.
    static func anyElement(
        _ path: FieldPath,
        _ elements: ElementSource,
        _ child: Filter,
        in scope: FilterScope
    ) -> SQLCondition {
        let source = scope.source(path)
        let inPlace = scope.appending(path.components)
        switch (source, elements) {
        case (.json(let value, _), .arrayElements):
            // One CASE on the value's type: the type is computed once per row, and a missing value
            // (no type) matches nothing whatever the child says of it.
            let inArray = exists("jsonb_array_elements", "array", value, source.jsonType, child, in: scope)
            let itself = compile(child, negated: false, in: inPlace)
            if case .never = inArray, case .never = itself { return .never }
            return .sql(
                SQLFragment("CASE COALESCE(") + source.jsonType + SQLFragment(", 'missing') WHEN 'array' THEN ")
                    + inArray.fragment + SQLFragment(" WHEN 'missing' THEN FALSE ELSE ") + itself.fragment
                    + SQLFragment(" END")
            )
        case (.json(let value, _), .memberValues):
            let type = source.jsonType
            return .and([
                .sql(type + SQLFragment(" = 'object'")),
                exists("jsonb_each", "object", value, type, child, in: scope),
            ])
        case (.textColumn(let column), .arrayElements):
            return .and([.sql(SQLFragment(column + " IS NOT NULL")), compile(child, negated: false, in: inPlace)])
        case (.integerColumn, .arrayElements), (.object, .arrayElements):
            return compile(child, negated: false, in: inPlace)
        case (.object, .memberValues):
            // The document (values, `id`, `_meta`) or `_meta` (its columns), which the values do not hold.
            var members: [SQLCondition] = []
            if inPlace.prefix.isEmpty {
                let values = SQLFragment(#""values""#)
                members.append(exists("jsonb_each", "object", values, SQLFragment("'object'"), child, in: scope))
                for key in ["id", Entity.metaKey] {
                    members.append(compile(child, negated: false, in: inPlace.appending([key])))
                }
            } else {
                for key in ["version", "created", "updated", "createdBy"] {
                    let member = inPlace.appending([key])
                    let value = compile(child, negated: false, in: member)
                    if case .textColumn(let column) = member.source(.root) {
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

    /// `EXISTS` a row of `function(value)` satisfying `child`, where `value` reaches the set-returning
    /// function only when its type is `type` (they fail on other types).
    private static func exists(
        _ function: String,
        _ typeName: String,
        _ value: SQLFragment,
        _ type: SQLFragment,
        _ child: Filter,
        in scope: FilterScope
    ) -> SQLCondition {
        let (inner, alias) = scope.nested()
        let columns = function == "jsonb_each" ? "(key, value)" : "(value)"
        switch compile(child, negated: false, in: inner) {
        case .never:
            return .never
        case let condition:
            return .sql(
                SQLFragment("EXISTS (SELECT 1 FROM \(function)(CASE WHEN ") + type
                    + SQLFragment(" = '\(typeName)' THEN ") + value + SQLFragment(" END) AS \(alias)\(columns) WHERE ")
                    + condition.fragment + SQLFragment(")")
            )
        }
    }
}
