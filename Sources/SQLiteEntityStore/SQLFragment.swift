import GRDB

/// A piece of SQL with its bound arguments: user values only ever travel as arguments.
struct SQLFragment {
    var sql: String
    var arguments: [DatabaseValue]

    init(_ sql: String, _ arguments: [DatabaseValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        SQLFragment(lhs.sql + rhs.sql, lhs.arguments + rhs.arguments)
    }

    static func += (lhs: inout SQLFragment, rhs: SQLFragment) {
        lhs.sql += rhs.sql
        lhs.arguments += rhs.arguments
    }

    /// `self` wrapped in parentheses.
    var parenthesized: SQLFragment { SQLFragment("(" + sql + ")", arguments) }

    static func joined(_ parts: [SQLFragment], separator: String) -> SQLFragment {
        var result = SQLFragment("")
        for (position, part) in parts.enumerated() {
            if position > 0 { result.sql += separator }
            result += part
        }
        return result
    }

    var statementArguments: StatementArguments { StatementArguments(arguments) }
}
