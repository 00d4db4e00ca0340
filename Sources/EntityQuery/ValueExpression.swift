import EntityModel

/// A value computed from the document a filter is evaluated on: the operands of
/// ``Filter/compareValues(_:_:_:)``, ``Filter/stringTest(_:_:_:)`` and ``Filter/valueIn(_:_:)``.
///
/// A missing field is `null`, and `null` propagates: an arithmetic operation or a function with a
/// `null` operand (or an operand of the wrong kind: a string added to a number, `length` of a number)
/// is `null`. ``Evaluator/value(of:in:)`` is the reference implementation; the rules per operator and
/// function are documented on ``ArithmeticOperator`` and ``ScalarFunction``.
///
/// ```swift
/// // price mul 2 add 1
/// ValueExpression.arithmetic(.add, .arithmetic(.mul, .field("price"), .literal(2)), .literal(1))
/// // tolower(name)
/// ValueExpression.call(.tolower, [.field("name")])
/// ```
public indirect enum ValueExpression: Sendable, Hashable {
    /// The value at a path of the document; `null` when missing.
    case field(FieldPath)
    /// A typed value; ``JSON/null`` is OData's `null`.
    case literal(JSON)
    /// Arithmetic on two numbers.
    case arithmetic(ArithmeticOperator, ValueExpression, ValueExpression)
    /// The negation of a number (`-x`).
    case negate(ValueExpression)
    /// A function of the values of the arguments.
    case call(ScalarFunction, [ValueExpression])
}

/// The arithmetic operators of ``ValueExpression/arithmetic(_:_:_:)``, on numbers only (any other
/// operand gives `null`).
///
/// Arithmetic is exact. A number is an *integer* when its JSON text, with the exponent applied, has
/// no digit after the decimal point (`2`, `2e3`, `1.5e1`), else a *decimal* (`2.0`, `1e-1`): the
/// scale of PostgreSQL's `numeric`. `add`, `sub`, `mul` and `mod` of two integers give an integer,
/// else a decimal (`1.5 mul 2` is the decimal `3.0`). Operands must have a magnitude below 10¹⁰⁰
/// and at most 100 decimal places; others give `null`.
public enum ArithmeticOperator: String, Sendable, Hashable, CaseIterable {
    case add, sub, mul
    /// Two integers: the integer quotient, truncated toward zero (`7 div 2` is `3`, `-7 div 2` is
    /// `-3`); otherwise as ``divby``. A zero divisor gives `null`.
    case div
    /// The decimal quotient, truncated toward zero after ``ArithmeticOperator/decimalDivisionScale``
    /// decimal places (`1 divby 3` is `0.3333333333333333`). A zero divisor gives `null`.
    case divby
    /// The remainder of the division truncated toward zero, with the sign of the dividend
    /// (`-7 mod 2` is `-1`); for decimals `a - b * trunc(a / b)`. A zero divisor gives `null`.
    case mod

    /// The decimal places ``divby`` (and ``div`` of decimals) keep.
    public static let decimalDivisionScale = 16
}

/// The functions of ``ValueExpression/call(_:_:)`` (OData's canonical functions). A call with the
/// wrong number of arguments, or an argument of the wrong kind or `null`, gives `null`.
///
/// Strings are handled as sequences of Unicode scalars (code points), the same in every backend:
/// - `tolower(s)`, `toupper(s)`: ASCII letters only are mapped (`É` stays `É`).
/// - `trim(s)`: leading and trailing spaces (U+0020) removed.
/// - `length(s)`: the number of code points.
/// - `indexof(s, t)`: the 0-based code point position of the first occurrence of `t` in `s`
///   (`0` when `t` is empty), `-1` when there is none.
/// - `substring(s, i)`, `substring(s, i, n)`: the code points from the 0-based position `i`
///   (a negative `i` counts as `0`), at most `n` of them (a negative `n` as `0`); integers only.
/// - `concat(a, b)`: two strings joined.
///
/// Date-time functions read strings holding a date-time as ``ISO8601Instant`` accepts it (any
/// offset) or a date `YYYY-MM-DD`; other values give `null`. The components are those written, in
/// the value's own offset:
/// - `year`, `month`, `day`, `hour`, `minute`, `second`: integers (a date has hour, minute and
///   second `0`);
/// - `fractionalseconds`: the fraction of the second as a decimal (`0.5` for `…:07.500Z`, `0.0`
///   without one);
/// - `date`: `YYYY-MM-DD`; `time`: `hh:mm:ss` followed by the fraction as written (`.5`), if any;
/// - `totaloffsetminutes`: the offset in minutes (`+02:00` is `120`, `Z` and dates `0`).
/// - `now()`: the instant the query runs, as `YYYY-MM-DDThh:mm:ss.fffZ` (UTC);
///   `mindatetime()` is `0001-01-01T00:00:00Z` and `maxdatetime()` `9999-12-31T23:59:59.999Z`.
///
/// Numbers: `round` (half away from zero), `floor` and `ceiling` keep integers as they are and turn
/// decimals into decimals without fraction.
public enum ScalarFunction: String, Sendable, Hashable, CaseIterable {
    case tolower, toupper, trim, length, indexof, substring, concat
    case year, month, day, hour, minute, second, fractionalseconds, date, time, totaloffsetminutes
    case now, mindatetime, maxdatetime
    case round, floor, ceiling
}

/// The string tests of ``Filter/stringTest(_:_:_:)``: case-sensitive, on two strings (else false).
public enum StringTest: String, Sendable, Hashable, CaseIterable {
    /// The first string contains the second (the empty string is in every string).
    case contains
    /// The first string starts with the second.
    case startswith
    /// The first string ends with the second.
    case endswith
}

extension ValueExpression {
    /// Every field path the expression reads.
    public var fieldPaths: [FieldPath] {
        switch self {
        case .field(let path): return [path]
        case .literal: return []
        case .arithmetic(_, let lhs, let rhs): return lhs.fieldPaths + rhs.fieldPaths
        case .negate(let operand): return operand.fieldPaths
        case .call(_, let arguments): return arguments.flatMap(\.fieldPaths)
        }
    }

    /// The same expression with every field path passed through `transform`.
    public func mappingPaths(_ transform: (FieldPath) -> FieldPath) -> ValueExpression {
        switch self {
        case .field(let path): return .field(transform(path))
        case .literal: return self
        case .arithmetic(let op, let lhs, let rhs):
            return .arithmetic(op, lhs.mappingPaths(transform), rhs.mappingPaths(transform))
        case .negate(let operand): return .negate(operand.mappingPaths(transform))
        case .call(let function, let arguments): return .call(function, arguments.map { $0.mappingPaths(transform) })
        }
    }
}
