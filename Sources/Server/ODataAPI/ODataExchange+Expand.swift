import EntityModel
import EntityQuery
import EntityService

extension ODataExchange {
    /// Most related entities loaded for one expanded navigation of one page.
    static let maximumExpandedEntities = 10_000

    /// Loads the expanded navigations of a page of entities: one read per navigation and level (the
    /// references of the whole page at once), never one per entity — except for nested collections,
    /// which live under each parent.
    func expand(_ trees: inout [ODataEntityTree], plans: [ODataExpansionPlan], in collection: ODataEntityCollection)
        async throws
    {
        guard !trees.isEmpty else { return }
        for expansion in plans {
            switch expansion.navigation.link {
            case .reference(let property):
                try await expandReference(&trees, expansion, property: property)
            case .inverse(let property):
                try await expandInverse(&trees, expansion, property: property)
            case .containment(let child):
                try await expandContainment(&trees, expansion, child: child, in: collection)
            }
        }
    }

    private func expandReference(_ trees: inout [ODataEntityTree], _ expansion: ODataExpansionPlan, property: String)
        async throws
    {
        guard let set = model.entitySet(named: expansion.navigation.target),
            let field = trees.first?.type.property(named: property)
        else { return }
        let target = ODataEntityCollection(
            path: set.collection,
            type: set.type,
            canonicalPrefix: expansion.navigation.target
        )
        let searchFields = service.schema.collection(at: set.collection)?.searchFields ?? []
        let ids = Set(trees.compactMap { $0.entity.value(at: field.path)?.stringValue })
        let found = ids.isEmpty ? [:] : try await service.get(Array(ids), in: set.collection, as: caller)
        var related: [String: ODataEntityTree] = [:]
        var loaded = found.values.filter { entity in
            expansion.plan.filter.map { Evaluator.matches($0, entity.document, searchFields: searchFields) } ?? true
        }.map { tree($0, in: target, selection: expansion.plan.selection) }
        try await expand(&loaded, plans: expansion.plan.expansions, in: target)
        for tree in loaded { related[tree.entity.id] = tree }
        for index in trees.indices {
            let id = trees[index].entity.value(at: field.path)?.stringValue
            let value: ODataExpandedValue
            if expansion.countOnly {
                value = .count(id.flatMap { related[$0] } == nil ? 0 : 1)
            } else if expansion.referencesOnly {
                value = .references(id.flatMap { related[$0] }.map { [$0.path] } ?? [], isCollection: false)
            } else {
                value = .single(id.flatMap { related[$0] })
            }
            trees[index].expanded.append((expansion.navigation.name, value))
        }
    }

    private func expandInverse(_ trees: inout [ODataEntityTree], _ expansion: ODataExpansionPlan, property: String)
        async throws
    {
        guard let set = model.entitySet(named: expansion.navigation.target),
            let field = set.type.property(named: property)
        else { return }
        let target = ODataEntityCollection(
            path: set.collection,
            type: set.type,
            canonicalPrefix: expansion.navigation.target
        )
        let ids = trees.map { JSON.string($0.entity.id) }
        var conditions: [Filter] = [.membership(field.path, ids.map { .json($0) }, negated: false)]
        if let filter = expansion.plan.filter { conditions.append(filter) }
        let entities = try await loadAll(
            Query(filter: .and(conditions), sort: expansion.plan.sort),
            in: set.collection
        )
        var groups: [String: [Entity]] = [:]
        for entity in entities {
            if let owner = entity.value(at: field.path)?.stringValue {
                groups[owner, default: []].append(entity)
            }
        }
        try await attach(&trees, groups: groups, expansion: expansion, target: target)
    }

    private func expandContainment(
        _ trees: inout [ODataEntityTree],
        _ expansion: ODataExpansionPlan,
        child: String,
        in collection: ODataEntityCollection
    ) async throws {
        guard let type = model.type(named: expansion.navigation.target) else { return }
        var groups: [String: [Entity]] = [:]
        var targets: [String: ODataEntityCollection] = [:]
        for tree in trees {
            let path = collection.path.nested(child, in: tree.entity.id)
            targets[tree.entity.id] = ODataEntityCollection(
                path: path,
                type: type,
                canonicalPrefix: "\(tree.path)/\(expansion.navigation.name)"
            )
            groups[tree.entity.id] = try await loadAll(
                Query(filter: expansion.plan.filter, sort: expansion.plan.sort),
                in: path
            )
        }
        for index in trees.indices {
            guard let target = targets[trees[index].entity.id] else { continue }
            var single = [trees[index]]
            try await attach(
                &single,
                groups: [trees[index].entity.id: groups[trees[index].entity.id] ?? []],
                expansion: expansion,
                target: target
            )
            trees[index] = single[0]
        }
    }

    /// Hangs each entity's related entities on it, after the expansion's `$skip` and `$top`.
    private func attach(
        _ trees: inout [ODataEntityTree],
        groups: [String: [Entity]],
        expansion: ODataExpansionPlan,
        target: ODataEntityCollection
    ) async throws {
        for index in trees.indices {
            let all = groups[trees[index].entity.id] ?? []
            if expansion.countOnly {
                trees[index].expanded.append((expansion.navigation.name, .count(all.count)))
                continue
            }
            var page = Array(all.dropFirst(expansion.plan.skip ?? 0))
            if let top = expansion.plan.top { page = Array(page.prefix(top)) }
            if expansion.referencesOnly {
                trees[index].expanded.append(
                    (expansion.navigation.name, .references(page.map { target.entityPath($0.id) }, isCollection: true))
                )
                continue
            }
            var related = page.map { tree($0, in: target, selection: expansion.plan.selection) }
            try await expand(&related, plans: expansion.plan.expansions, in: target)
            trees[index].expanded.append(
                (expansion.navigation.name, .many(related, count: expansion.plan.countsTotal ? all.count : nil))
            )
        }
    }

    /// Every entity matching `query`, read a page at a time, at most ``maximumExpandedEntities``.
    private func loadAll(_ query: Query, in collection: CollectionPath) async throws -> [Entity] {
        var all: [Entity] = []
        var paged = query
        paged.limit = service.configuration.maximumPageSize
        paged.countsTotal = false
        while true {
            let page = try await service.list(paged, in: collection, as: caller)
            all += page.entities
            if page.entities.count < paged.limit { return all }
            guard all.count < Self.maximumExpandedEntities else {
                throw ODataError(
                    .badRequest,
                    "an expanded navigation holds more than \(Self.maximumExpandedEntities) entities; "
                        + "add $filter or $top to the $expand item, or read the navigation itself, which is paged",
                    target: "$expand"
                )
            }
            paged.offset += page.entities.count
        }
    }
}
