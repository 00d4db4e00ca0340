import EntityStore

/// Conditions in PostgreSQL's dialect: `TRUE`/`FALSE` for constants, `(P) IS NOT TRUE` for a negated leaf.
typealias SQLCondition = CompiledCondition<SQLFragment>

extension SQLFragment: SQLConditionFragment {
    init(plainSQL: String) { self.init(plainSQL) }
    static let trueLiteral = "TRUE"
    static let falseLiteral = "FALSE"
}
