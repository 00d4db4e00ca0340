import EntityModel

/// A translated value: its expression, type, and the single-valued navigations its fields lie
/// behind (the comparison is then evaluated on the related entity).
struct ODataTypedValue {
    var expression: ValueExpression
    var type: ODataValueType
    var relations: [Relation]
    /// Whether it reads any field.
    var readsFields: Bool
    var position: Int
}

extension ODataTranslator {
    /// The value of a non-Boolean expression, type-checked.
    func typedValue(_ expression: ODataExpression, in scope: Scope) throws(ODataQueryError) -> ODataTypedValue {
        let position = expression.position
        switch expression.kind {
        case .literal(let literal):
            let (json, type) = try jsonValue(literal, at: position)
            return ODataTypedValue(
                expression: .literal(json),
                type: type,
                relations: [],
                readsFields: false,
                position: position
            )
        case .path(let root, let segments):
            if case .alias(let name) = root, segments.isEmpty {
                guard let value = scope.aliases[name] else {
                    return ODataTypedValue(
                        expression: .literal(.null),
                        type: .null,
                        relations: [],
                        readsFields: false,
                        position: position
                    )
                }
                var withoutAliases = scope
                withoutAliases.aliases = [:]
                return try typedValue(value, in: withoutAliases)
            }
            let walk = try self.walk(root, segments, at: position, in: scope)
            guard walk.lambda == nil, let type = walk.type else {
                throw mismatch("a collection is not a single value", at: position)
            }
            return ODataTypedValue(
                expression: .field(walk.path),
                type: type,
                relations: walk.relations,
                readsFields: true,
                position: position
            )
        case .negate(let operand):
            let value = try typedValue(operand, in: scope)
            try expect(value, [.integer, .decimal], "-")
            return ODataTypedValue(
                expression: .negate(value.expression),
                type: value.type,
                relations: value.relations,
                readsFields: value.readsFields,
                position: position
            )
        case .binary(let op, let left, let right):
            guard let arithmetic = ArithmeticOperator(rawValue: op.rawValue) else {
                throw unsupported("a Boolean expression used as a value", at: position)
            }
            return try arithmeticValue(arithmetic, left, right, in: scope, at: position)
        case .call(let name, let arguments):
            return try callValue(name, arguments, in: scope, at: position)
        default:
            throw unsupported("this expression", at: position)
        }
    }

    private func arithmeticValue(
        _ op: ArithmeticOperator,
        _ left: ODataExpression,
        _ right: ODataExpression,
        in scope: Scope,
        at position: Int
    ) throws(ODataQueryError) -> ODataTypedValue {
        let lhs = try typedValue(left, in: scope)
        let rhs = try typedValue(right, in: scope)
        try expect(lhs, [.integer, .decimal], op.rawValue)
        try expect(rhs, [.integer, .decimal], op.rawValue)
        if [.div, .divby, .mod].contains(op), case .literal(let divisor) = rhs.expression, divisor.isZero {
            throw mismatch("division by zero", at: rhs.position)
        }
        let integers = lhs.type == .integer && rhs.type == .integer && op != .divby
        let type: ODataValueType =
            lhs.type == .dynamic || rhs.type == .dynamic ? .dynamic : integers ? .integer : .decimal
        return try combine([lhs, rhs], .arithmetic(op, lhs.expression, rhs.expression), type, at: position)
    }

    /// One value from several operands: their fields must lie behind the same navigations.
    func combine(
        _ operands: [ODataTypedValue],
        _ expression: ValueExpression,
        _ type: ODataValueType,
        at position: Int
    ) throws(ODataQueryError) -> ODataTypedValue {
        let reading = operands.filter(\.readsFields)
        let relations = reading.first?.relations ?? []
        guard reading.allSatisfy({ $0.relations == relations }) else {
            throw unsupported("comparing properties of different entities", at: position)
        }
        return ODataTypedValue(
            expression: expression,
            type: type,
            relations: relations,
            readsFields: !reading.isEmpty,
            position: position
        )
    }

    /// Fails unless `value` has one of the `expected` types (or is null or dynamic).
    func expect(_ value: ODataTypedValue, _ expected: [ODataValueType], _ what: String) throws(ODataQueryError) {
        guard value.type.fits(expected) else {
            let names = expected.map(\.name).joined(separator: " or ")
            throw mismatch("\(what) needs \(names), not \(value.type.name)", at: value.position)
        }
    }

    /// The JSON of a literal and its type.
    func jsonValue(_ literal: ODataLiteral, at position: Int) throws(ODataQueryError) -> (JSON, ODataValueType) {
        switch literal {
        case .null: return (.null, .null)
        case .boolean(let value): return (.bool(value), .boolean)
        case .number(let text):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int64(text) {
                return (.integer(integer), .integer)
            }
            guard let number = JSONNumber(text) else { throw mismatch("invalid number \(text)", at: position) }
            return (.number(number), .decimal)
        case .string(let text): return (.string(text), .string)
        case .date(let text): return (.string(text), .date)
        case .dateTimeOffset(let text): return (.string(text), .dateTimeOffset)
        case .timeOfDay(let text): return (.string(text), .timeOfDay)
        case .duration(let text): return (.string(text), .duration)
        case .guid(let text): return (.string(text), .guid)
        case .notANumber, .infinity, .negativeInfinity:
            throw unsupported("NaN and INF (EntityHub has no floating-point types)", at: position)
        case .binary: throw unsupported("a binary literal", at: position)
        case .enumeration: throw unsupported("an enumeration literal", at: position)
        case .geography, .geometry: throw unsupported("a geo literal", at: position)
        }
    }
}

extension JSON {
    /// Whether this is the number zero.
    fileprivate var isZero: Bool {
        switch self {
        case .integer(let value): return value == 0
        case .number(let number): return number.doubleValue == 0
        default: return false
        }
    }
}
