import EntityModel
import Foundation

extension Evaluator {
    /// The value of `expression` on `document`, as ``ValueExpression`` documents: ``JSON/null`` for a
    /// missing field, and for any operation with a `null` operand or an operand of the wrong kind.
    ///
    /// ```swift
    /// Evaluator.value(of: .arithmetic(.div, .field("n"), .literal(2)), in: ["n": 7])   // 3
    /// Evaluator.value(of: .call(.length, [.field("name")]), in: ["name": "Müller"])     // 6
    /// ```
    public static func value(of expression: ValueExpression, in document: JSON) -> JSON {
        switch expression {
        case .field(let path):
            return document.value(at: path.components) ?? .null
        case .literal(let value):
            return value
        case .arithmetic(let op, let lhs, let rhs):
            return arithmetic(op, value(of: lhs, in: document), value(of: rhs, in: document))
        case .negate(let operand):
            guard let number = ExpressionNumber(value(of: operand, in: document)) else { return .null }
            return ExpressionNumber(-number.value, isInteger: number.isInteger).json
        case .call(let function, let arguments):
            return call(function, arguments.map { value(of: $0, in: document) })
        }
    }

    /// `lhs op rhs` on two numbers, per ``ArithmeticOperator``.
    package static func arithmetic(_ op: ArithmeticOperator, _ lhs: JSON, _ rhs: JSON) -> JSON {
        guard let a = ExpressionNumber(lhs), let b = ExpressionNumber(rhs) else { return .null }
        let integers = a.isInteger && b.isInteger
        switch op {
        case .add: return ExpressionNumber(a.value + b.value, isInteger: integers).json
        case .sub: return ExpressionNumber(a.value - b.value, isInteger: integers).json
        case .mul: return ExpressionNumber(a.value * b.value, isInteger: integers).json
        case .div where integers:
            guard !b.value.isZero else { return .null }
            if case .integer(let x) = lhs, case .integer(let y) = rhs, !(x == .min && y == -1) {
                return .integer(x / y)
            }
            return ExpressionNumber(truncated(a.value / b.value, scale: 0), isInteger: true).json
        case .div, .divby:
            guard !b.value.isZero else { return .null }
            let scale = ArithmeticOperator.decimalDivisionScale
            return ExpressionNumber(truncated(a.value / b.value, scale: scale), isInteger: false).json
        case .mod:
            guard !b.value.isZero else { return .null }
            if case .integer(let x) = lhs, case .integer(let y) = rhs {
                return .integer(y == -1 ? 0 : x % y)
            }
            let remainder = a.value - b.value * truncated(a.value / b.value, scale: 0)
            return ExpressionNumber(remainder, isInteger: integers).json
        }
    }

    /// `value` rounded toward zero to `scale` decimal places.
    static func truncated(_ value: Decimal, scale: Int) -> Decimal {
        rounded(value, scale: scale, magnitude: .down)
    }

    /// `value` rounded to `scale` places, `magnitude` saying how its absolute value is rounded
    /// (`.down` toward zero, `.up` away from zero, `.plain` half away from zero).
    static func rounded(_ value: Decimal, scale: Int, magnitude: Decimal.RoundingMode) -> Decimal {
        var absolute = value < 0 ? -value : value
        var result = Decimal()
        NSDecimalRound(&result, &absolute, scale, magnitude)
        return value < 0 ? -result : result
    }
}

/// A number of a value expression: its exact value (within `Decimal`'s 38 digits) and whether it
/// is an integer in the sense of ``ArithmeticOperator`` (the scale of PostgreSQL's `numeric`).
struct ExpressionNumber {
    var value: Decimal
    var isInteger: Bool

    init(_ value: Decimal, isInteger: Bool) {
        self.value = value
        self.isInteger = isInteger
    }

    /// The number `json` holds; `nil` for other values and for numbers out of
    /// ``ArithmeticOperator``'s range (a magnitude of 10²⁰ or more, more than 20 decimal places).
    init?(_ json: JSON) {
        guard json.numericallyCompared(to: Self.limit) == .orderedAscending,
            json.numericallyCompared(to: Self.negativeLimit) == .orderedDescending
        else { return nil }
        switch json {
        case .integer(let integer):
            self.init(Decimal(integer), isInteger: true)
        case .number(let number):
            guard let value = Decimal(string: number.text, locale: Locale(identifier: "en_US_POSIX")),
                !value.isNaN
            else { return nil }
            let scale = Self.scale(number.text)
            guard scale <= 20 else { return nil }
            self.init(value, isInteger: scale == 0)
        default:
            return nil
        }
    }

    private static let limit = JSON.number(JSONNumber("1e20")!)
    private static let negativeLimit = JSON.number(JSONNumber("-1e20")!)

    /// The number of decimal places of JSON number text, its exponent applied (`2.50` → 2,
    /// `1.5e1` → 0, `1e-3` → 3): the scale PostgreSQL's `numeric` gives it.
    static func scale(_ text: String) -> Int {
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts.first ?? ""
        let exponent = parts.count > 1 ? Int(parts[1].replacingOccurrences(of: "+", with: "")) ?? 0 : 0
        let fractionDigits =
            mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return max(0, fractionDigits - exponent)
    }

    /// The number as JSON: an integer without fraction (`Int64` when it fits), a decimal always
    /// with one (`3.0`), so that its kind survives.
    var json: JSON {
        var text = value.description
        if isInteger {
            if let integer = Int64(text) { return .integer(integer) }
        } else if !text.contains(".") {
            text += ".0"
        }
        return JSONNumber(text).map(JSON.number) ?? .null
    }
}
