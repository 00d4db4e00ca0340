import EntityModel
import EntityQuery

extension NGSILDFilterTranslator {
    /// A `q` query, with the semantics listed on ``NGSILDFilterTranslator``.
    ///
    /// ```swift
    /// let query = try NGSILDQueryParser().parseQuery(#"speed>50;name~="^Eiffel""#)
    /// let filter = try translator.filter(for: query)
    /// ```
    ///
    /// - Throws: ``NGSILDError/Code/badRequestData`` for a linked-entity path (`a{b}`), and what
    ///   `storedAttributeName` throws.
    public func filter(for query: NGSILDQuery) throws(NGSILDError) -> Filter {
        try Self.combining(query) { term throws(NGSILDError) in try filter(for: term) }
    }

    /// Members of an attribute instance that `A.member` reads (other dotted names are sub-attributes).
    static let instanceMembers: Set<String> = [
        "observedAt", "unitCode", "datasetId", "createdAt", "modifiedAt", "deletedAt", "instanceId", "objectType",
        "lang",
    ]

    /// One term: its predicate over the values the attribute path reaches.
    func filter(for term: NGSILDQueryTerm) throws(NGSILDError) -> Filter {
        let target = try self.target(of: term.attribute)
        switch term.predicate {
        case .exists:
            return target.exists
        case .compare(.unequal, let value):
            let test = target.some(leaves(.eq, value), dateTime: value.isDateTime, strings: value.isString)
            return .and([target.exists, .not(test)])
        case .compare(let op, let value):
            return target.some(
                leaves(Self.operators[op] ?? .eq, value),
                dateTime: value.isDateTime,
                strings: value.isString
            )
        case .anyOf(let values, let negated):
            let test = target.some(
                { path in .or(values.map { self.leaves(.eq, $0)(path) }) },
                dateTime: values.contains(where: \.isDateTime),
                strings: values.contains(where: \.isString)
            )
            return negated ? .and([target.exists, .not(test)]) : test
        case .inRange(let lower, let upper, let negated):
            let test = target.some(
                { path in .and([self.leaves(.ge, lower)(path), self.leaves(.le, upper)(path)]) },
                dateTime: lower.isDateTime || upper.isDateTime,
                strings: lower.isString || upper.isString
            )
            return negated ? .and([target.exists, .not(test)]) : test
        case .matches(let pattern, let negated):
            let test = target.some({ path in .regex(path, pattern.text) }, dateTime: false)
            return negated ? .and([target.exists, .not(test)]) : test
        }
    }

    static let operators: [NGSILDComparisonOperator: ComparisonOperator] = [
        .equal: .eq, .greater: .gt, .greaterOrEqual: .ge, .less: .lt, .lessOrEqual: .le,
    ]

    /// The test of one value at `path` against a query value: time order for a date-time, otherwise
    /// ``Filter/compare(_:_:_:)`` with the value's JSON.
    func leaves(_ op: ComparisonOperator, _ value: NGSILDQueryValue) -> (FieldPath) -> Filter {
        if case .dateTime(let text) = value, let instant = Self.instant(text) {
            return { path in .dateTime(path, op, instant) }
        }
        let json = Self.json(value)
        return { path in .compare(path, op, .json(json)) }
    }

    /// A date-time literal as an instant; one without offset is UTC.
    static func instant(_ text: String) -> ISO8601Instant? {
        ISO8601Instant(text) ?? ISO8601Instant(text + "Z")
    }

    static func json(_ value: NGSILDQueryValue) -> JSON {
        switch value {
        case .number(let number): return (try? JSON(parsing: number.text)) ?? .number(number)
        case .string(let text), .dateTime(let text), .date(let text), .time(let text), .uri(let text):
            return .string(text)
        case .bool(let flag): return .bool(flag)
        }
    }

    /// Where an attribute path leads in the stored document.
    func target(of path: NGSILDAttributePath) throws(NGSILDError) -> NGSILDQueryTarget {
        if let step = path.linkedEntities.first {
            throw NGSILDError(
                .badRequestData,
                "q: \(step.relationship){…} reads linked entities, which needs join, which is not supported"
            )
        }
        if path.memberPath.isEmpty, path.valuePath.isEmpty, let meta = Self.entityTimestamps[path.name] {
            return NGSILDQueryTarget(instances: [], reads: .member([Entity.metaKey, meta]))
        }
        var instances = [try storedAttributeName(path.name)]
        for (position, name) in path.memberPath.enumerated() {
            if Self.instanceMembers.contains(name) {
                let member = Array(path.memberPath[position...]) + path.valuePath
                return NGSILDQueryTarget(instances: instances, reads: .member(member))
            }
            instances.append(try storedAttributeName(name))
        }
        return NGSILDQueryTarget(
            instances: instances,
            reads: .values(valuePath: path.valuePath, vocab: { name in (try? storedTypeName(name)) ?? name })
        )
    }

    /// Entity-level system members and the `_meta` fields they are.
    static let entityTimestamps = ["createdAt": "created", "modifiedAt": "updated"]
}

extension NGSILDQueryValue {
    var isDateTime: Bool {
        if case .dateTime = self { return true }
        return false
    }

    /// Whether the value is compared as a JSON string (everything but numbers and booleans).
    var isString: Bool {
        switch self {
        case .number, .bool: return false
        case .string, .dateTime, .date, .time, .uri: return true
        }
    }
}
