import EntityModel

extension Evaluator {
    /// Whether `document` satisfies `predicate`, per the semantics documented on ``Filter``.
    public static func matches(_ predicate: Filter, _ document: JSON) -> Bool {
        switch predicate {
        case .and(let children):
            return children.allSatisfy { matches($0, document) }
        case .or(let children):
            return children.contains { matches($0, document) }
        case .not(let child):
            return !matches(child, document)
        case .compare(let path, let op, let value):
            let field = document.value(at: path.components)
            let query = value.inferred
            switch op {
            case .eq: return field.map { equals($0, query) } ?? false
            case .ne: return !(field.map { equals($0, query) } ?? false)
            case .lt: return order(field, query) == .orderedAscending
            case .le: return order(field, query).map { $0 != .orderedDescending } ?? false
            case .gt: return order(field, query) == .orderedDescending
            case .ge: return order(field, query).map { $0 != .orderedAscending } ?? false
            }
        case .pattern(let path, let pattern, let caseInsensitive):
            guard case .string(let text)? = document.value(at: path.components) else { return false }
            if caseInsensitive {
                return glob(Array(pattern.lowercased().utf8), matches: Array(text.lowercased().utf8))
            }
            return glob(Array(pattern.utf8), matches: Array(text.utf8))
        case .membership(let path, let values, let negated):
            let field = document.value(at: path.components)
            let found = field.map { field in values.contains { equals(field, $0.inferred) } } ?? false
            return found != negated
        case .isNull(let path, let negated):
            let value = document.value(at: path.components)
            return (value == nil || value == .null) != negated
        }
    }
}
