/// A compiled boolean condition, with constants folded so that impossible leaves vanish.
///
/// A `.sql` condition may evaluate to NULL where its field is missing. Since ``FilterCompiler``
/// pushes every negation down to the leaves, conditions are combined by `AND`/`OR` only, where NULL
/// behaves exactly like false; a negated leaf is written `(P) IS NOT TRUE`, which is true for NULL.
enum SQLCondition {
    case always
    case never
    case sql(SQLFragment)

    static func and(_ conditions: [SQLCondition]) -> SQLCondition {
        var parts: [SQLFragment] = []
        for condition in conditions {
            switch condition {
            case .always: continue
            case .never: return .never
            case .sql(let fragment): parts.append(fragment)
            }
        }
        if parts.isEmpty { return .always }
        if parts.count == 1 { return .sql(parts[0]) }
        return .sql(SQLFragment.joined(parts.map(\.parenthesized), separator: " AND "))
    }

    static func or(_ conditions: [SQLCondition]) -> SQLCondition {
        var parts: [SQLFragment] = []
        for condition in conditions {
            switch condition {
            case .always: return .always
            case .never: continue
            case .sql(let fragment): parts.append(fragment)
            }
        }
        if parts.isEmpty { return .never }
        if parts.count == 1 { return .sql(parts[0]) }
        return .sql(SQLFragment.joined(parts.map(\.parenthesized), separator: " OR "))
    }

    /// The two-valued negation: true where `self` is false or NULL.
    var negated: SQLCondition {
        switch self {
        case .always: return .never
        case .never: return .always
        case .sql(let fragment): return .sql(fragment.parenthesized + SQLFragment(" IS NOT TRUE"))
        }
    }

    /// The condition as SQL.
    var fragment: SQLFragment {
        switch self {
        case .always: return SQLFragment("TRUE")
        case .never: return SQLFragment("FALSE")
        case .sql(let fragment): return fragment
        }
    }
}
