import EntityModel

/// Turns the OData syntax tree of a request into the shared query AST, checking types against the
/// EDM: `$filter` → ``Filter``, `$orderby` → ``SortKey``s, `$select` → ``Projection``, `$search`
/// → a ``Filter`` of ``Filter/search(_:)`` nodes.
///
/// ```swift
/// let translator = ODataTranslator(model: model)
/// let expression = try parser.parseFilter("price gt 2 and category/title eq 'Tools'")
/// let filter = try translator.filter(expression, on: "products")
/// // .and([.compare(price, .gt, 2), .related(categoryId → categories, where: title eq "Tools")])
/// ```
///
/// Type rules (errors are `typeMismatch` with the operand's position, a 400): no implicit
/// conversion between strings, numbers, booleans, dates and date-times; numbers of any kind mix;
/// `null` compares with anything; arithmetic takes numbers; a literal divisor of `div`/`mod` may not
/// be zero. Properties of open types that the EDM does not declare are dynamic: any type goes.
/// Valid OData that EntityHub does not run (`has`, `isof`, `cast`, geo functions, `matchesPattern`,
/// `$count` in expressions, comparing fields of two documents) fails with `unsupported` (a 501).
public struct ODataTranslator: Sendable {
    /// The entity data model the names are resolved in.
    public var model: ODataModel

    /// Creates a translator for `model`.
    public init(model: ODataModel) {
        self.model = model
    }

    /// The filter of a `$filter` expression on entities of type `entityType`; parameter aliases
    /// are replaced by their values (a missing alias is `null`).
    public func filter(
        _ expression: ODataExpression,
        on entityType: String,
        aliases: [String: ODataExpression] = [:]
    ) throws(ODataQueryError) -> Filter {
        let scope = try scope(for: entityType, aliases: aliases)
        return try booleanFilter(expression, in: scope)
    }

    /// The sort keys of `$orderby` items: property paths (through complex properties) only.
    public func sortKeys(_ items: [ODataOrderItem], on entityType: String) throws(ODataQueryError) -> [SortKey] {
        let scope = try scope(for: entityType, aliases: [:])
        var keys: [SortKey] = []
        for item in items {
            let value = try typedValue(item.expression, in: scope)
            guard case .field(let path) = value.expression, value.relations.isEmpty else {
                throw unsupported("ordering by anything but a property", at: item.expression.position)
            }
            keys.append(SortKey(path, descending: item.descending))
        }
        return keys
    }

    /// The projection of `$select`: `nil` for `*` (everything); navigation properties and
    /// operations select nothing structural (expand them instead).
    public func projection(_ items: [ODataSelectItem], on entityType: String) throws(ODataQueryError) -> Projection? {
        guard let type = model.type(named: entityType) ?? model.entitySet(named: entityType)?.type else {
            throw unknownType(entityType)
        }
        var include: [FieldPath] = []
        for item in items {
            switch item.kind {
            case .all: return nil
            case .allOperations, .operation: continue
            case .path(let segments):
                if let path = try selectedPath(segments, in: type, at: item.position) { include.append(path) }
            }
        }
        return Projection(include: include)
    }

    private func selectedPath(_ segments: [ODataSegment], in type: ODataStructuredType, at position: Int)
        throws(ODataQueryError) -> FieldPath?
    {
        var current = type
        var path = FieldPath.root
        for segment in segments {
            switch segment {
            case .property(let name, _):
                guard let property = current.property(named: name) else {
                    if current.isOpen { return path.appending(FieldPath([name])) }
                    throw unknownProperty(name, of: current, at: position)
                }
                path = path.appending(property.path)
                guard case .complex(let complex) = property.type.elementType, let next = model.type(named: complex)
                else { continue }
                current = next
            case .navigation: return nil
            case .cast(let name) where name.name == current.name: continue
            default: throw unsupported("selecting \(segment)", at: position)
            }
        }
        return path
    }

    /// The filter of a `$search` expression: each term and each phrase a ``Filter/search(_:)`` node
    /// (REST's word rules: every word a prefix of some word of the collection's search fields),
    /// `AND`, `OR` and `NOT` the filter's `and`, `or` and `not`. A phrase means all its words, in
    /// any order and place (`"green tea"` is `green AND tea`), as in ``Query/search``. A term or
    /// phrase without any word (`*`) matches every entity. Combine the result with `$filter` by `and`.
    ///
    /// ```swift
    /// let search = try parser.parseSearch("(tea OR coffee) AND NOT \"green tea\"")
    /// translator.searchFilter(search)
    /// // .and([.or([.search("tea"), .search("coffee")]), .not(.search("green tea"))])
    /// ```
    public func searchFilter(_ search: ODataSearchExpression) -> Filter {
        switch search {
        case .term(let text), .phrase(let text):
            return .search(text)
        case .not(let operand):
            return .not(searchFilter(operand))
        case .and(let left, let right):
            return .and(
                [left, right].flatMap { operand -> [Filter] in
                    let filter = searchFilter(operand)
                    if case .and(let children) = filter { return children }
                    return [filter]
                }
            )
        case .or(let left, let right):
            return .or(
                [left, right].flatMap { operand -> [Filter] in
                    let filter = searchFilter(operand)
                    if case .or(let children) = filter { return children }
                    return [filter]
                }
            )
        }
    }

    func scope(for entityType: String, aliases: [String: ODataExpression]) throws(ODataQueryError) -> Scope {
        guard let type = model.type(named: entityType) ?? model.entitySet(named: entityType)?.type else {
            throw unknownType(entityType)
        }
        return Scope(implicit: .structured(type), variables: [:], aliases: aliases)
    }

    private func unknownType(_ name: String) -> ODataQueryError {
        ODataQueryError(code: .unknownName, message: "unknown entity type '\(name)'", position: 0, token: name)
    }
}

/// What names resolve to while translating one expression.
struct Scope {
    /// What a path without `$it`/variable starts at; `nil` inside a lambda over another document.
    var implicit: Element?
    /// Lambda variables.
    var variables: [String: Element]
    var aliases: [String: ODataExpression]

    /// The thing a path root denotes: an entity or complex value (paths from its document or
    /// object) or one element of a primitive collection (the element itself).
    enum Element {
        case structured(ODataStructuredType)
        case primitive(ODataType?)
    }
}

extension ODataTranslator {
    func unsupported(_ what: String, at position: Int, option: String? = "$filter") -> ODataQueryError {
        ODataQueryError(
            code: .unsupported,
            message: "\(what) is not supported",
            position: position,
            token: what,
            option: option
        )
    }

    func mismatch(_ message: String, at position: Int) -> ODataQueryError {
        ODataQueryError(code: .typeMismatch, message: message, position: position, token: "", option: "$filter")
    }

    func unknownProperty(_ name: String, of type: ODataStructuredType, at position: Int) -> ODataQueryError {
        ODataQueryError(
            code: .unknownName,
            message: "'\(type.name)' has no property '\(name)'",
            position: position,
            token: name,
            option: "$filter"
        )
    }
}
