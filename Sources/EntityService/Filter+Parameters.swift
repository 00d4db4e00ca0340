import EntityModel
import EntityQuery

/// Parameters in RQL: an unquoted value `$name` (`le(price,$max)`) stands for the parameter `name`.
///
/// Binding replaces each such value by the parameter's typed value. A parameter that is not given
/// (or `null`) binds as OData's `null`: `eq(f,$p)` becomes "f is null or missing", `ne(f,$p)` its
/// negation, `lt le gt ge` and `like` with it are false, and it is left out of `in`/`out` lists.
///
/// Only the nodes RQL produces hold parameters (`compare`, `membership`, `pattern`, and the children
/// of `and`, `or`, `not`, `anyElement`); other nodes are kept as they are.
extension Filter {
    /// The parameter names the filter refers to, in order of appearance.
    var parameterNames: [String] {
        if case .and(let children) = self { return children.flatMap(\.parameterNames) }
        if case .or(let children) = self { return children.flatMap(\.parameterNames) }
        if case .not(let child) = self { return child.parameterNames }
        if case .anyElement(_, _, let child) = self { return child.parameterNames }
        if case .compare(_, _, let value) = self { return value.parameterName.map { [$0] } ?? [] }
        if case .membership(_, let values, _) = self { return values.compactMap(\.parameterName) }
        if case .pattern(_, let pattern, _) = self { return Self.parameterName(pattern).map { [$0] } ?? [] }
        return []
    }

    /// The filter with every `$name` replaced by `parameters[name]` (validated values).
    func binding(_ parameters: [String: JSON]) -> Filter {
        if case .and(let children) = self { return .and(children.map { $0.binding(parameters) }) }
        if case .or(let children) = self { return .or(children.map { $0.binding(parameters) }) }
        if case .not(let child) = self { return .not(child.binding(parameters)) }
        if case .anyElement(let path, let source, let child) = self {
            return .anyElement(path, source, where: child.binding(parameters))
        }
        if case .compare(let path, let op, let value) = self, let name = value.parameterName {
            let bound = parameters[name] ?? .null
            guard bound == .null else { return .compare(path, op, .json(bound)) }
            switch op {
            case .eq: return .isNull(path, negated: false)
            case .ne: return .isNull(path, negated: true)
            case .lt, .le, .gt, .ge: return .or([])
            }
        }
        if case .membership(let path, let values, let negated) = self,
            values.contains(where: { $0.parameterName != nil })
        {
            let bound = values.compactMap { value -> QueryValue? in
                guard let name = value.parameterName else { return value }
                let bound = parameters[name] ?? .null
                return bound == .null ? nil : .json(bound)
            }
            return .membership(path, bound, negated: negated)
        }
        if case .pattern(let path, let pattern, let caseInsensitive) = self, let name = Self.parameterName(pattern) {
            guard case .string(let text)? = parameters[name] else { return .or([]) }
            return .pattern(path, text, caseInsensitive: caseInsensitive)
        }
        return self
    }

    private static func parameterName(_ text: String) -> String? {
        QueryValue.literal(text, quoted: false).parameterName
    }
}

extension QueryValue {
    /// `name` for the unquoted literal `$name`; `nil` for any other value.
    var parameterName: String? {
        guard case .literal(let text, quoted: false) = self, text.hasPrefix("$"), text.count > 1 else { return nil }
        return String(text.dropFirst())
    }
}
