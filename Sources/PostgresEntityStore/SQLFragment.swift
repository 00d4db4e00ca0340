import PostgresNIO

/// A piece of SQL with its bound values: user values only ever travel as bindings.
///
/// Placeholders are numbered (`$1`, `$2`, …) only when the fragment becomes a ``PostgresQuery``, so
/// fragments concatenate freely.
struct SQLFragment: Sendable {
    /// A bound value.
    enum Value: Sendable, Hashable, Codable {
        case text(String)
        case integer(Int64)
        case double(Double)
        case textArray([String])
        case integerArray([Int64])
        case booleanArray([Bool])
        case null
    }

    enum Piece: Sendable, Hashable, Codable {
        case sql(String)
        case bind(Value)
    }

    var pieces: [Piece]

    init(_ sql: String = "") {
        pieces = sql.isEmpty ? [] : [.sql(sql)]
    }

    /// A single placeholder for `value`, followed by `suffix` (a cast such as `::jsonb`).
    static func bind(_ value: Value, _ suffix: String = "") -> SQLFragment {
        var fragment = SQLFragment()
        fragment.pieces = [.bind(value)]
        if !suffix.isEmpty { fragment.pieces.append(.sql(suffix)) }
        return fragment
    }

    static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        var result = lhs
        result.pieces += rhs.pieces
        return result
    }

    static func += (lhs: inout SQLFragment, rhs: SQLFragment) {
        lhs.pieces += rhs.pieces
    }

    /// `self` wrapped in parentheses.
    var parenthesized: SQLFragment { SQLFragment("(") + self + SQLFragment(")") }

    static func joined(_ parts: [SQLFragment], separator: String) -> SQLFragment {
        var result = SQLFragment()
        for (position, part) in parts.enumerated() {
            if position > 0 { result += SQLFragment(separator) }
            result += part
        }
        return result
    }

    /// The SQL text with numbered placeholders, and its bindings.
    var query: PostgresQuery {
        var sql = ""
        var bindings = PostgresBindings()
        for piece in pieces {
            switch piece {
            case .sql(let text):
                sql += text
            case .bind(let value):
                switch value {
                case .text(let text): bindings.append(text)
                case .integer(let integer): bindings.append(integer)
                case .double(let double): bindings.append(double)
                case .textArray(let texts): bindings.append(texts)
                case .integerArray(let integers): bindings.append(integers)
                case .booleanArray(let booleans): bindings.append(booleans)
                case .null: bindings.appendNull()
                }
                sql += "$\(bindings.count)"
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
