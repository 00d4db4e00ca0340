import EntityModel
import EntityQuery
import EntityStore
import GRDB

/// Compiles a ``Filter`` to a SQL condition over the `entities` table, implementing the
/// semantics documented on ``Filter`` exactly, with bound values only.
///
/// Negations are pushed down to the leaves (De Morgan), so positive leaves stay bare, index-friendly
/// comparisons such as `json_extract("values", '$."status"') = ?`. Type guards (`json_type`) are added
/// only where SQLite's own comparison could confuse types: booleans read as 0/1, arrays and objects
/// read as JSON text.
struct FilterCompiler {
    /// Paths with an expression index; their JSON path is inlined so the index matches.
    var indexedPaths: Set<[String]>

    func compile(_ predicate: Filter) throws(StoreError) -> SQLCondition {
        try compile(predicate, negated: false, in: .entity)
    }

    func compile(_ predicate: Filter, negated: Bool, in scope: FilterScope) throws(StoreError) -> SQLCondition {
        switch predicate {
        case .and(let children):
            var parts: [SQLCondition] = []
            for child in children { parts.append(try compile(child, negated: negated, in: scope)) }
            return negated ? .or(parts) : .and(parts)
        case .or(let children):
            var parts: [SQLCondition] = []
            for child in children { parts.append(try compile(child, negated: negated, in: scope)) }
            return negated ? .and(parts) : .or(parts)
        case .not(let child):
            return try compile(child, negated: !negated, in: scope)
        case .compare(let path, let op, let value):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            let queried = QueryCopy.replacingNUL(value.inferred)
            switch op {
            case .eq: return apply(negated, to: equal(source, queried))
            case .ne: return apply(!negated, to: equal(source, queried))
            case .lt, .le, .gt, .ge: return apply(negated, to: order(source, op, queried))
            }
        case .pattern(let path, let pattern, let caseInsensitive):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            let queried = QueryCopy.replacingNUL(pattern)
            return apply(negated, to: matches(source, queried, caseInsensitive: caseInsensitive))
        case .membership(let path, let values, let isOut):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            return apply(negated != isOut, to: member(source, values.map { QueryCopy.replacingNUL($0.inferred) }))
        case .isNull(let path, let isNotNull):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            return apply(negated != isNotNull, to: null(source))
        case .regex(let path, let pattern):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            return apply(negated, to: regex(source, QueryCopy.replacingNUL(pattern)))
        case .dateTime(let path, let op, let instant):
            let source = try scope.source(path, indexedPaths: indexedPaths)
            let isNE = op == .ne
            return apply(negated != isNE, to: dateTime(source, isNE ? .eq : op, instant))
        case .anyElement(let path, let elements, let child):
            return apply(negated, to: try anyElement(path, elements, child, in: scope))
        case .compareValues(let lhs, let op, let rhs):
            return try compareValues(lhs, op, rhs, negated: negated, in: scope)
        case .stringTest(let test, let lhs, let rhs):
            return try stringTest(test, lhs, rhs, negated: negated, in: scope)
        case .valueIn(let value, let values):
            return try valueIn(value, values, negated: negated, in: scope)
        case .related(let relation, let child):
            return apply(negated, to: try related(relation, child, in: scope))
        case .search(let text):
            return apply(negated, to: search(text, in: scope))
        }
    }

    func apply(_ negated: Bool, to condition: SQLCondition) -> SQLCondition {
        negated ? condition.negated : condition
    }

    // MARK: Leaves

    /// `eq`: numbers numerically, strings and booleans exactly; a JSON `null` field or query value,
    /// arrays and objects are never equal.
    private func equal(_ source: FieldSource, _ value: JSON) -> SQLCondition {
        if let bare = bareValue(source, value) {
            return .sql(source.value + SQLFragment(" = ?", [bare]))
        }
        switch (source, value) {
        case (.json, .string(let text)):
            return .sql(source.value + SQLFragment(" = ? AND ", [text.databaseValue]) + type(source, ["text"]))
        case (.json, .integer), (.json, .number):
            return .sql(
                source.value + SQLFragment(" = ? AND ", [Self.number(value)]) + type(source, ["integer", "real"])
            )
        case (.json, .bool(let flag)):
            return .sql(
                source.value + SQLFragment(" = ? AND ", [(flag ? 1 : 0).databaseValue])
                    + type(source, [flag ? "true" : "false"])
            )
        default:
            return .never
        }
    }

    /// The value to compare with a bare `field = ?` when that alone is exact, else `nil`:
    /// strings that cannot be mistaken for array/object JSON text, numbers other than 0 and 1
    /// (which booleans read as).
    private func bareValue(_ source: FieldSource, _ value: JSON) -> DatabaseValue? {
        switch (source, value) {
        case (.json, .string(let text)):
            let first = text.utf8.first
            return first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? nil : text.databaseValue
        case (.json, .integer), (.json, .number):
            let number = Self.number(value)
            return number == (0 as Int64).databaseValue || number == (1 as Int64).databaseValue
                || number == (0.0).databaseValue || number == (1.0).databaseValue ? nil : number
        case (.textColumn, .string(let text)):
            return text.databaseValue
        case (.integerColumn, .integer), (.integerColumn, .number):
            return Self.number(value)
        default:
            return nil
        }
    }

    /// `lt le gt ge`: only between two numbers, two strings or two booleans.
    private func order(_ source: FieldSource, _ op: ComparisonOperator, _ value: JSON) -> SQLCondition {
        let symbol: String
        switch op {
        case .lt: symbol = "<"
        case .le: symbol = "<="
        case .gt: symbol = ">"
        case .ge: symbol = ">="
        case .eq, .ne: return equal(source, value)
        }
        let comparison = " \(symbol) ?"
        switch (source, value) {
        case (.json, .string(let text)):
            return .sql(source.value + SQLFragment(comparison + " AND ", [text.databaseValue]) + type(source, ["text"]))
        case (.json, .integer), (.json, .number):
            return .sql(
                source.value + SQLFragment(comparison + " AND ", [Self.number(value)])
                    + type(source, ["integer", "real"])
            )
        case (.json, .bool(let flag)):
            return .sql(
                source.value + SQLFragment(comparison + " AND ", [(flag ? 1 : 0).databaseValue])
                    + type(source, ["true", "false"])
            )
        case (.textColumn, .string(let text)):
            return .sql(source.value + SQLFragment(comparison, [text.databaseValue]))
        case (.integerColumn, .integer), (.integerColumn, .number):
            return .sql(source.value + SQLFragment(comparison, [Self.number(value)]))
        default:
            return .never
        }
    }

    /// `like`/`ilike` as GLOB over strings only; `*` is the one wildcard.
    private func matches(_ source: FieldSource, _ pattern: String, caseInsensitive: Bool) -> SQLCondition {
        let glob = Self.glob(caseInsensitive ? pattern.lowercased() : pattern).databaseValue
        let subject = caseInsensitive ? SQLFragment("entityhub_lower(") + source.value + SQLFragment(")") : source.value
        switch source {
        case .json:
            return .sql(subject + SQLFragment(" GLOB ? AND ", [glob]) + type(source, ["text"]))
        case .textColumn:
            return .sql(subject + SQLFragment(" GLOB ?", [glob]))
        case .integerColumn, .object, .missing:
            return .never
        }
    }

    /// `in`: `eq` holds for some value. Values a bare comparison handles share one `IN (…)`.
    private func member(_ source: FieldSource, _ values: [JSON]) -> SQLCondition {
        var bare: [DatabaseValue] = []
        var others: [SQLCondition] = []
        for value in values {
            if let databaseValue = bareValue(source, value) {
                bare.append(databaseValue)
            } else {
                others.append(equal(source, value))
            }
        }
        if bare.count == 1 {
            others.insert(.sql(source.value + SQLFragment(" = ?", bare)), at: 0)
        } else if bare.count > 1 {
            let marks = Array(repeating: "?", count: bare.count).joined(separator: ",")
            others.insert(.sql(source.value + SQLFragment(" IN (\(marks))", bare)), at: 0)
        }
        return .or(others)
    }

    /// `search`: the entity's `rid` among the FTS5 matches (an entity without an FTS row matches no
    /// word, and its negation holds for it); false inside an element or a related entity.
    private func search(_ text: String, in scope: FilterScope) -> SQLCondition {
        guard scope.isEntity else { return .never }
        guard let match = FullTextSearch.matchExpression(text) else { return .always }
        return .sql(
            SQLFragment(
                "\(scope.table).rid IN (SELECT rowid FROM entities_fts WHERE entities_fts MATCH ?)",
                [match.databaseValue]
            )
        )
    }

    /// `isNull`: missing or JSON null.
    private func null(_ source: FieldSource) -> SQLCondition {
        switch source {
        case .json, .textColumn: return .sql(source.value + SQLFragment(" IS NULL"))
        case .integerColumn, .object: return .never
        case .missing: return .always
        }
    }

    // MARK: Helpers

    /// A condition that the JSON value's type (as `json_type` names it) is one of `types`.
    func type(_ source: FieldSource, _ types: [String]) -> SQLFragment {
        guard case .json(_, let type, _) = source else { return SQLFragment("1") }
        let list = types.map { "'\($0)'" }.joined(separator: ",")
        let test = types.count == 1 ? " = \(list)" : " IN (\(list))"
        return type + SQLFragment(test)
    }

    /// A JSON number as a SQL number: integers exactly, other numbers as the nearest double.
    static func number(_ value: JSON) -> DatabaseValue {
        switch value {
        case .integer(let integer): return integer.databaseValue
        case .number(let number): return number.doubleValue.databaseValue
        default: return .null
        }
    }

    /// A `GLOB` pattern where `*` is the only wildcard: `?` and `[` are made literal.
    static func glob(_ pattern: String) -> String {
        var result = ""
        result.reserveCapacity(pattern.utf8.count)
        for character in pattern.unicodeScalars {
            switch character {
            case "?": result += "[?]"
            case "[": result += "[[]"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Whether the predicate has, at its top level of `and`s, a positive comparison on an indexed
    /// path, so the planner should prefer that index over the `(collection, id)` order.
    func usesIndex(_ predicate: Filter) -> Bool {
        switch predicate {
        case .and(let children):
            return children.contains(where: usesIndex)
        case .compare(let path, let op, _):
            return op != .ne && indexedPaths.contains(path.components)
        case .membership(let path, _, let negated):
            return !negated && indexedPaths.contains(path.components)
        case .compareValues(let lhs, let op, let rhs):
            return Filter.plainComparison(lhs, op, rhs).map(usesIndex) ?? false
        case .valueIn(let value, let values):
            return Filter.plainMembership(value, values).map(usesIndex) ?? false
        default:
            return false
        }
    }

    /// Whether the filter requires equality on an indexed path: that index (which ends in `id`) then
    /// delivers matches already in the default order.
    func hasIndexedEquality(_ predicate: Filter) -> Bool {
        switch predicate {
        case .and(let children):
            return children.contains(where: hasIndexedEquality)
        case .compare(let path, .eq, _):
            return indexedPaths.contains(path.components)
        case .compareValues(let lhs, .eq, let rhs):
            return Filter.plainComparison(lhs, .eq, rhs).map(hasIndexedEquality) ?? false
        default:
            return false
        }
    }
}
