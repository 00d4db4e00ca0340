import EntityStore

/// Conditions in SQLite's dialect: `1`/`0` for constants, `(P) IS NOT 1` for a negated leaf.
typealias SQLCondition = CompiledCondition<SQLFragment>

extension SQLFragment: SQLConditionFragment {
    init(plainSQL: String) { self.init(plainSQL) }
    static let trueLiteral = "1"
    static let falseLiteral = "0"
}
