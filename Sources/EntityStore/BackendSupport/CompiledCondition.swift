/// A piece of SQL in some backend's dialect, with its bound values: what ``CompiledCondition`` combines.
///
/// Shared by the backends of this package (`package` access), not part of the public API.
package protocol SQLConditionFragment {
    /// A fragment of plain SQL text, without bound values.
    init(plainSQL: String)
    /// `lhs` followed by `rhs`, with both fragments' bound values in order.
    static func + (lhs: Self, rhs: Self) -> Self
    /// The fragments separated by `separator`.
    static func joined(_ parts: [Self], separator: String) -> Self
    /// The fragment wrapped in parentheses.
    var parenthesized: Self { get }
    /// The dialect's literals for true and false (`1`/`0` in SQLite, `TRUE`/`FALSE` in PostgreSQL).
    static var trueLiteral: String { get }
    static var falseLiteral: String { get }
}

/// A compiled boolean condition, with constants folded so that impossible leaves vanish.
///
/// A `.sql` condition may evaluate to NULL where its field is missing. Since each backend's filter
/// compiler pushes every negation down to the leaves, conditions are combined by `AND`/`OR` only, where
/// NULL behaves exactly like false; a negated leaf is written `(P) IS NOT <true>`, which is true for NULL.
package enum CompiledCondition<Fragment: SQLConditionFragment> {
    case always
    case never
    case sql(Fragment)

    package static func and(_ conditions: [CompiledCondition]) -> CompiledCondition {
        var parts: [Fragment] = []
        for condition in conditions {
            switch condition {
            case .always: continue
            case .never: return .never
            case .sql(let fragment): parts.append(fragment)
            }
        }
        if parts.isEmpty { return .always }
        if parts.count == 1 { return .sql(parts[0]) }
        return .sql(Fragment.joined(parts.map(\.parenthesized), separator: " AND "))
    }

    package static func or(_ conditions: [CompiledCondition]) -> CompiledCondition {
        var parts: [Fragment] = []
        for condition in conditions {
            switch condition {
            case .always: return .always
            case .never: continue
            case .sql(let fragment): parts.append(fragment)
            }
        }
        if parts.isEmpty { return .never }
        if parts.count == 1 { return .sql(parts[0]) }
        return .sql(Fragment.joined(parts.map(\.parenthesized), separator: " OR "))
    }

    /// The two-valued negation: true where `self` is false or NULL.
    package var negated: CompiledCondition {
        switch self {
        case .always: return .never
        case .never: return .always
        case .sql(let fragment):
            return .sql(fragment.parenthesized + Fragment(plainSQL: " IS NOT " + Fragment.trueLiteral))
        }
    }

    /// The condition as SQL (the dialect's literals for constants).
    package var fragment: Fragment {
        switch self {
        case .always: return Fragment(plainSQL: Fragment.trueLiteral)
        case .never: return Fragment(plainSQL: Fragment.falseLiteral)
        case .sql(let fragment): return fragment
        }
    }
}
