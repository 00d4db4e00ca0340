import EntityModel
import EntityQuery

/// Operation parameters as JSON: from a function call's `(name=value,…)` or query options (literals
/// or `@alias`es), or from an action's JSON body.
enum ODataParameterValues {
    /// The values of a function's parameters written in the URL.
    static func fromURL(
        _ expressions: [String: ODataExpression],
        operation: ODataOperation,
        aliases: [String: ODataExpression]
    ) throws -> [String: JSON] {
        var values: [String: JSON] = [:]
        for (name, expression) in expressions {
            guard let parameter = operation.parameters.first(where: { $0.name == name }) else {
                throw ODataError(.badRequest, "\(operation.name) has no parameter '\(name)'", target: name)
            }
            values[name] = try value(expression, aliases: aliases, parameter: parameter)
        }
        return values
    }

    /// The values in an action's body (`{}` or no body when it takes none).
    static func fromBody(_ members: [String: JSON], operation: ODataOperation) throws -> [String: JSON] {
        var values: [String: JSON] = [:]
        for (name, value) in members where !name.contains("@") {
            guard let parameter = operation.parameters.first(where: { $0.name == name }) else {
                throw ODataError(.badRequest, "\(operation.name) has no parameter '\(name)'", target: name)
            }
            if case .string(let text) = value,
                parameter.type == .primitive(.int64) || parameter.type == .primitive(.decimal)
            {
                guard JSONNumber(text) != nil, let number = try? JSON(parsing: text) else {
                    throw ODataError(.badRequest, "\(name): '\(text)' is not a number", target: name)
                }
                values[name] = number
            } else {
                values[name] = value
            }
        }
        return values
    }

    private static func value(
        _ expression: ODataExpression,
        aliases: [String: ODataExpression],
        parameter: ODataOperation.Parameter
    ) throws -> JSON {
        switch expression.kind {
        case .literal(let literal):
            return try json(literal, parameter: parameter)
        case .negate(let inner):
            guard case .literal(.number(let text)) = inner.kind, let number = try? JSON(parsing: "-" + text) else {
                break
            }
            return number
        case .path(.alias(let name), let segments) where segments.isEmpty:
            guard let aliased = aliases[name] else { return .null }
            return try value(aliased, aliases: [:], parameter: parameter)
        default:
            break
        }
        throw ODataError(.badRequest, "parameter \(parameter.name) takes a literal value", target: parameter.name)
    }

    private static func json(_ literal: ODataLiteral, parameter: ODataOperation.Parameter) throws -> JSON {
        switch literal {
        case .null: return .null
        case .boolean(let value): return .bool(value)
        case .number(let text):
            guard let number = try? JSON(parsing: text) else { break }
            return number
        case .string(let text), .date(let text), .dateTimeOffset(let text), .timeOfDay(let text),
            .duration(let text), .guid(let text):
            return .string(text)
        default:
            break
        }
        throw ODataError(
            .badRequest,
            "parameter \(parameter.name): this literal is not supported",
            target: parameter.name
        )
    }
}
