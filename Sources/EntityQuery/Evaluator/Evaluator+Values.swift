import EntityModel

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
            return ExactNumber(value(of: operand, in: document)).map { (-$0).json } ?? .null
        case .call(let function, let arguments):
            return call(function, arguments.map { value(of: $0, in: document) })
        }
    }

    /// `lhs op rhs` on two numbers, per ``ArithmeticOperator``.
    package static func arithmetic(_ op: ArithmeticOperator, _ lhs: JSON, _ rhs: JSON) -> JSON {
        guard let a = ExactNumber(lhs), let b = ExactNumber(rhs) else { return .null }
        switch op {
        case .add: return (a + b).json
        case .sub: return (a - b).json
        case .mul: return (a * b).json
        case .div, .divby, .mod:
            guard !b.isZero else { return .null }
            if op == .mod { return (a - b * ExactNumber.quotient(a, b, scale: 0)).json }
            let integers = op == .div && a.scale == 0 && b.scale == 0
            return ExactNumber.quotient(a, b, scale: integers ? 0 : ArithmeticOperator.decimalDivisionScale).json
        }
    }
}
