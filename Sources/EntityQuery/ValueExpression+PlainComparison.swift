import EntityModel

extension Filter {
    /// ``compare(_:_:_:)`` meaning exactly what `compareValues(lhs, op, rhs)` means, when one side is a
    /// field and the other a literal number, boolean or string that is no date-time (where `null`,
    /// instants and kinds make no difference); `nil` otherwise. Backends compile it instead, so the
    /// comparison can use the field's index.
    package static func plainComparison(
        _ lhs: ValueExpression,
        _ op: ComparisonOperator,
        _ rhs: ValueExpression
    ) -> Filter? {
        switch (lhs, rhs) {
        case (.field(let path), .literal(let value)) where isPlain(value):
            return .compare(path, op, .json(value))
        case (.literal(let value), .field(let path)) where isPlain(value):
            let flipped: ComparisonOperator
            switch op {
            case .eq, .ne: flipped = op
            case .lt: flipped = .gt
            case .le: flipped = .ge
            case .gt: flipped = .lt
            case .ge: flipped = .le
            }
            return .compare(path, flipped, .json(value))
        default:
            return nil
        }
    }

    /// ``membership(_:_:negated:)`` meaning exactly what `valueIn(expression, values)` means: a field
    /// and at least one value, all of them plain (see ``plainComparison(_:_:_:)``); `nil` otherwise.
    package static func plainMembership(_ expression: ValueExpression, _ values: [JSON]) -> Filter? {
        guard case .field(let path) = expression, !values.isEmpty, values.allSatisfy(isPlain) else { return nil }
        return .membership(path, values.map(QueryValue.json), negated: false)
    }

    private static func isPlain(_ value: JSON) -> Bool {
        switch value {
        case .integer, .number, .bool: return true
        case .string(let text): return ISO8601Instant(text) == nil
        case .null, .array, .object: return false
        }
    }
}
