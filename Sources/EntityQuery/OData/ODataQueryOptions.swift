/// The query options of one request, gathered by kind.
///
/// Each system option may appear once (a repeated one is an error naming it); aliases, function
/// parameters and custom options are kept by name.
///
/// ```swift
/// let options = try ODataParser(names: names).parseQuery("$top=2&$orderby=Name&@p=3")
/// options.top        // 2
/// options.aliases    // ["p": 3]
/// ```
public struct ODataQueryOptions: Sendable, Hashable {
    public var filter: ODataExpression?
    public var orderby: [ODataOrderItem]?
    public var select: [ODataSelectItem]?
    public var expand: [ODataExpandItem]?
    public var search: ODataSearchExpression?
    public var compute: [ODataComputeItem]?
    /// `$apply` as written (not supported: answer 501).
    public var apply: String?
    public var top: Int?
    public var skip: Int?
    /// `$count=true|false`.
    public var count: Bool?
    public var index: Int?
    /// `$levels` (nested in `$expand` only): a number, or `.some(nil)` for `max`.
    public var levels: Int??
    public var skiptoken: String?
    public var deltatoken: String?
    public var format: String?
    public var schemaversion: String?
    public var id: String?
    /// `@name` → value.
    public var aliases: [String: ODataExpression] = [:]
    /// Function parameters given as query options: name → value.
    public var parameters: [String: ODataExpression] = [:]
    /// Custom options: name → value (`nil` when written without `=`).
    public var custom: [String: String?] = [:]

    /// No options.
    public init() {}

    /// Gathers `options`; throws `duplicateOption` for a system option, alias or parameter given twice.
    public init(_ options: [ODataQueryOption]) throws(ODataQueryError) {
        var seen: Set<String> = []
        for option in options {
            let name = option.name
            if case .custom = option.value {
            } else {
                guard seen.insert(name).inserted else {
                    throw ODataQueryError(
                        code: .duplicateOption,
                        message: "\(name) given more than once",
                        position: option.position,
                        token: name,
                        option: name
                    )
                }
            }
            set(option.value)
        }
    }

    private mutating func set(_ value: ODataQueryOption.Value) {
        switch value {
        case .filter(let expression): filter = expression
        case .orderby(let items): orderby = items
        case .select(let items): select = items
        case .expand(let items): expand = items
        case .search(let expression): search = expression
        case .compute(let items): compute = items
        case .apply(let text): apply = text
        case .top(let value): top = value
        case .skip(let value): skip = value
        case .count(let value): count = value
        case .index(let value): index = value
        case .levels(let value): levels = .some(value)
        case .skiptoken(let text): skiptoken = text
        case .deltatoken(let text): deltatoken = text
        case .format(let text): format = text
        case .schemaversion(let text): schemaversion = text
        case .id(let text): id = text
        case .alias(let name, let expression): aliases[name] = expression
        case .parameter(let name, let expression): parameters[name] = expression
        case .custom(let name, let text): custom[name] = text
        }
    }
}
