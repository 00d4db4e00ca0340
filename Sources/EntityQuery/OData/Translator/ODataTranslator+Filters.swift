import EntityModel

extension ODataTranslator {
    /// The filter of a Boolean expression.
    func booleanFilter(_ expression: ODataExpression, in scope: Scope) throws(ODataQueryError) -> Filter {
        let position = expression.position
        switch expression.kind {
        case .binary(.and, let left, let right):
            return .and(flatten(try booleanFilter(left, in: scope), try booleanFilter(right, in: scope), and: true))
        case .binary(.or, let left, let right):
            return .or(flatten(try booleanFilter(left, in: scope), try booleanFilter(right, in: scope), and: false))
        case .not(let operand):
            return .not(try booleanFilter(operand, in: scope))
        case .binary(let op, let left, let right):
            guard let comparison = ComparisonOperator(rawValue: op.rawValue) else { break }
            return try compare(left, comparison, right, in: scope)
        case .in(let left, let right):
            return try membership(left, right, in: scope)
        case .call(let name, let arguments) where StringTest(rawValue: name) != nil:
            let lhs = try typedValue(arguments[0], in: scope)
            let rhs = try typedValue(arguments[1], in: scope)
            try expect(lhs, [.string], "\(name)()")
            try expect(rhs, [.string], "\(name)()")
            let combined = try combine([lhs, rhs], .literal(.null), .boolean, at: position)
            let test = Filter.stringTest(StringTest(rawValue: name)!, lhs.expression, rhs.expression)
            return wrap(test, in: combined.relations)
        case .literal(.boolean(let value)):
            return value ? .and([]) : .or([])
        case .literal(.null):
            return .or([])
        case .path(let root, let segments):
            if case .alias(let name) = root, segments.isEmpty, let value = scope.aliases[name] {
                var withoutAliases = scope
                withoutAliases.aliases = [:]
                return try booleanFilter(value, in: withoutAliases)
            }
            let walk = try self.walk(root, segments, at: position, in: scope)
            if let (lambda, collection) = walk.lambda {
                return wrap(try lambdaFilter(lambda, over: collection, at: walk.path, in: scope), in: walk.relations)
            }
            guard walk.type == .boolean || walk.type == .dynamic else {
                throw mismatch("\(walk.type?.name ?? "this") is not Edm.Boolean", at: position)
            }
            return wrap(.compare(walk.path, .eq, .json(.bool(true))), in: walk.relations)
        case .has: throw unsupported("has", at: position)
        case .isOf: throw unsupported("isof()", at: position)
        case .cast: throw unsupported("cast()", at: position)
        case .call(let name, _) where !["contains", "startswith", "endswith"].contains(name):
            throw unsupported("\(name)() as a condition", at: position)
        default:
            break
        }
        throw mismatch("expected a Boolean expression", at: position)
    }

    private func flatten(_ left: Filter, _ right: Filter, and: Bool) -> [Filter] {
        func parts(_ filter: Filter) -> [Filter] {
            switch (filter, and) {
            case (.and(let children), true), (.or(let children), false): return children
            default: return [filter]
            }
        }
        return parts(left) + parts(right)
    }

    /// `filter` evaluated on the entity reached through `relations` (outermost first).
    func wrap(_ filter: Filter, in relations: [Relation]) -> Filter {
        relations.reversed().reduce(filter) { inner, relation in .related(relation, where: inner) }
    }

    private func compare(_ left: ODataExpression, _ op: ComparisonOperator, _ right: ODataExpression, in scope: Scope)
        throws(ODataQueryError) -> Filter
    {
        let lhs = try typedValue(left, in: scope)
        let rhs = try typedValue(right, in: scope)
        guard lhs.type.isComparable(with: rhs.type) else {
            throw mismatch("cannot compare \(lhs.type.name) with \(rhs.type.name)", at: rhs.position)
        }
        let combined = try combine([lhs, rhs], .literal(.null), .boolean, at: lhs.position)
        var filter: Filter
        switch (lhs.expression, rhs.expression) {
        case (.field(let path), .literal(.null)) where op == .eq || op == .ne,
            (.literal(.null), .field(let path)) where op == .eq || op == .ne:
            filter = .isNull(path, negated: op == .ne)
        default:
            filter =
                Filter.plainComparison(lhs.expression, op, rhs.expression)
                ?? .compareValues(lhs.expression, op, rhs.expression)
        }
        if lhs.type == .dateTimeOffset || rhs.type == .dateTimeOffset || lhs.type == .date {
            filter = .compareValues(lhs.expression, op, rhs.expression)
        }
        return wrap(filter, in: combined.relations)
    }

    private func membership(_ left: ODataExpression, _ right: ODataExpression, in scope: Scope)
        throws(ODataQueryError) -> Filter
    {
        let lhs = try typedValue(left, in: scope)
        let items: [ODataExpression]
        switch right.kind {
        case .list(let list), .array(let list): items = list
        case .path(.alias(let name), let segments) where segments.isEmpty:
            guard let value = scope.aliases[name] else { return .or([]) }
            var withoutAliases = scope
            withoutAliases.aliases = [:]
            return try membership(left, value, in: withoutAliases)
        default: throw unsupported("in with anything but a list of literals", at: right.position)
        }
        var values: [JSON] = []
        for item in items {
            let value: (JSON, ODataValueType)
            switch item.kind {
            case .literal(let literal): value = try jsonValue(literal, at: item.position)
            case .jsonString(let text): value = (.string(text), .string)
            default: throw unsupported("in with anything but a list of literals", at: item.position)
            }
            guard lhs.type.isComparable(with: value.1) else {
                throw mismatch("cannot compare \(lhs.type.name) with \(value.1.name)", at: item.position)
            }
            values.append(value.0)
        }
        let filter = Filter.plainMembership(lhs.expression, values) ?? .valueIn(lhs.expression, values)
        return wrap(filter, in: lhs.relations)
    }

    private func lambdaFilter(
        _ lambda: ODataLambda,
        over collection: ODataPathWalk.Collection,
        at path: FieldPath,
        in scope: Scope
    ) throws(ODataQueryError) -> Filter {
        let element: Scope.Element
        switch collection {
        case .related(_, let target): element = .structured(target)
        case .elements(let elementType): element = elementType
        }
        var inner = Filter.and([])
        if let variable = lambda.variable, let predicate = lambda.predicate {
            let innerScope = Scope(implicit: nil, variables: [variable: element], aliases: scope.aliases)
            inner = try booleanFilter(predicate, in: innerScope)
        }
        func some(_ filter: Filter) -> Filter {
            switch collection {
            case .related(let relation, _): return .related(relation, where: filter)
            case .elements: return .anyElement(path, .arrayElements, where: filter)
            }
        }
        return lambda.isAll ? .not(some(.not(inner))) : some(inner)
    }
}
