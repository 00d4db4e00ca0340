import EntityModel

extension Evaluator {
    /// Whether `document` satisfies `predicate`, per the semantics documented on ``Filter``; a
    /// ``Filter/related(_:where:)`` finds no related entity (see ``matches(_:_:related:searchFields:)``).
    ///
    /// - Parameter searchFields: the collection's search fields for ``Filter/search(_:)`` (dot paths);
    ///   empty (the default) means every top-level string field except `id`, as ``Query/search``
    ///   documents.
    public static func matches(_ predicate: Filter, _ document: JSON, searchFields: [String] = []) -> Bool {
        matches(predicate, document, related: { _, _ in [] }, searchFields: searchFields)
    }

    /// Whether `document` satisfies `predicate`, per the semantics documented on ``Filter``, where
    /// `related` gives the documents a relation links a document to, already limited to those
    /// readable by the relation's ``Relation/readableBy`` (``linked(_:by:among:)`` does the linking).
    ///
    /// ```swift
    /// let categories: [JSON] = [["id": "C1", "title": "Tools"]]
    /// let byTitle = Filter.related(
    ///     Relation(.reference("categoryId"), target: CollectionPath("categories")),
    ///     where: .compare("title", .eq, .json("Tools")))
    /// Evaluator.matches(byTitle, ["id": "P1", "categoryId": "C1"]) { relation, document in
    ///     Evaluator.linked(document, by: relation, among: categories)
    /// }   // true
    /// ```
    ///
    /// - Parameter searchFields: the collection's search fields for ``Filter/search(_:)`` (dot paths);
    ///   empty (the default) means every top-level string field except `id`.
    public static func matches(
        _ predicate: Filter,
        _ document: JSON,
        related: (Relation, JSON) -> [JSON],
        searchFields: [String] = []
    ) -> Bool {
        matches(predicate, document, related: related, entitySearchFields: searchFields)
    }

    /// `entitySearchFields` is `nil` inside an element or a related entity, where ``Filter/search(_:)``
    /// is false.
    private static func matches(
        _ predicate: Filter,
        _ document: JSON,
        related: (Relation, JSON) -> [JSON],
        entitySearchFields: [String]?
    ) -> Bool {
        func matches(_ predicate: Filter, _ document: JSON) -> Bool {
            Evaluator.matches(predicate, document, related: related, entitySearchFields: entitySearchFields)
        }
        func matchesNested(_ predicate: Filter, _ document: JSON) -> Bool {
            Evaluator.matches(predicate, document, related: related, entitySearchFields: nil)
        }
        switch predicate {
        case .and(let children):
            return children.allSatisfy { matches($0, document) }
        case .or(let children):
            return children.contains { matches($0, document) }
        case .not(let child):
            return !matches(child, document)
        case .compareValues(let lhs, let op, let rhs):
            return compareValues(value(of: lhs, in: document), op, value(of: rhs, in: document))
        case .stringTest(let test, let lhs, let rhs):
            return stringTest(test, value(of: lhs, in: document), value(of: rhs, in: document))
        case .valueIn(let expression, let values):
            let value = value(of: expression, in: document)
            return values.contains { valuesEqual(value, $0) }
        case .search(let text):
            guard let entitySearchFields else { return false }
            return matchesSearch(text, document: document, searchFields: entitySearchFields)
        case .related(let relation, let child):
            return related(relation, document).contains { matchesNested(child, $0) }
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
        case .regex(let path, let pattern):
            guard case .string(let text)? = document.value(at: path.components) else { return false }
            return regexFinds(pattern, in: text)
        case .anyElement(let path, let source, let child):
            guard let value = document.value(at: path.components) else { return false }
            switch (source, value) {
            case (.arrayElements, .array(let elements)): return elements.contains { matchesNested(child, $0) }
            case (.arrayElements, _): return matchesNested(child, value)
            case (.memberValues, .object(let members)):
                return members.values.contains { matchesNested(child, $0) }
            case (.memberValues, _): return false
            }
        case .dateTime(let path, let op, let instant):
            guard case .string(let text)? = document.value(at: path.components), let field = ISO8601Instant(text)
            else { return op == .ne }
            switch op {
            case .eq: return field == instant
            case .ne: return field != instant
            case .lt: return field < instant
            case .le: return field <= instant
            case .gt: return field > instant
            case .ge: return field >= instant
            }
        }
    }
}
