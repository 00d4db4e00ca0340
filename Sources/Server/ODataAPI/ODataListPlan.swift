import EntityModel
import EntityQuery

/// What `$filter`, `$search`, `$orderby`, `$select` and `$expand` ask of one collection, translated
/// to the shared query AST; nested `$expand` options give nested plans (two levels at most).
struct ODataListPlan: Sendable {
    var filter: Filter?
    var sort: [SortKey] = []
    /// OData names of the selected properties; `nil` selects all.
    var selection: Set<String>?
    var expansions: [ODataExpansionPlan] = []
    var top: Int?
    var skip: Int?
    var countsTotal = false

    /// Deepest `$expand` nesting served.
    static let maximumExpandDepth = 2

    /// Translates the options of a request (or of an `$expand` item) for `type`.
    init(
        options: ODataQueryOptions,
        type: ODataStructuredType,
        model: ODataModel,
        aliases: [String: ODataExpression],
        depth: Int = 0
    ) throws {
        let translator = ODataTranslator(model: model)
        if let expression = options.filter {
            filter = try translator.filter(expression, on: type.name, aliases: aliases)
        }
        if let expression = options.search {
            let search = translator.searchFilter(expression)
            filter = filter.map { .and([$0, search]) } ?? search
        }
        if let orderby = options.orderby { sort = try translator.sortKeys(orderby, on: type.name) }
        if let select = options.select, let projection = try translator.projection(select, on: type.name) {
            let fields = Set(projection.include.compactMap(\.components.first))
            var names = Set(
                type.properties.filter { $0.path.components.first.map(fields.contains) ?? false }.map(\.name)
            )
            names.formUnion(fields.filter { field in !type.properties.contains { $0.path.components.first == field } })
            names.insert("id")
            selection = names
        }
        top = options.top
        skip = options.skip
        countsTotal = options.count ?? false
        for item in options.expand ?? [] {
            guard depth < Self.maximumExpandDepth else {
                throw ODataError(
                    .badRequest,
                    "$expand nests at most \(Self.maximumExpandDepth) levels",
                    target: "$expand"
                )
            }
            expansions += try ODataExpansionPlan.plans(
                for: item,
                of: type,
                model: model,
                aliases: aliases,
                depth: depth + 1
            )
        }
    }
}

/// One expanded navigation and what to load of it.
struct ODataExpansionPlan: Sendable {
    var navigation: ODataNavigation
    var target: ODataStructuredType
    /// `Nav/$ref`: ids only.
    var referencesOnly: Bool
    /// `Nav/$count`: the number only.
    var countOnly: Bool
    var plan: ODataListPlan

    static func plans(
        for item: ODataExpandItem,
        of type: ODataStructuredType,
        model: ODataModel,
        aliases: [String: ODataExpression],
        depth: Int
    ) throws -> [ODataExpansionPlan] {
        let options = try ODataQueryOptions(item.options)
        try ODataExchange.refuseUnsupported(options)
        if options.levels != nil { throw ODataError.notImplemented("$levels") }
        let navigations: [ODataNavigation]
        switch item.target {
        case .all(let segments) where segments.isEmpty:
            navigations = type.navigations
        case .path(let segments):
            guard segments.count == 1, case .navigation(let name, _) = segments[0],
                let navigation = type.navigation(named: name)
            else {
                throw ODataError(.badRequest, "$expand names a navigation property of \(type.name)", target: "$expand")
            }
            navigations = [navigation]
        default:
            throw ODataError.notImplemented("this $expand item")
        }
        var plans: [ODataExpansionPlan] = []
        for navigation in navigations {
            guard let target = model.type(named: navigation.target) else { continue }
            plans.append(
                ODataExpansionPlan(
                    navigation: navigation,
                    target: target,
                    referencesOnly: item.isRef,
                    countOnly: item.isCount,
                    plan: try ODataListPlan(
                        options: options,
                        type: target,
                        model: model,
                        aliases: aliases,
                        depth: depth
                    )
                )
            )
        }
        return plans
    }
}
