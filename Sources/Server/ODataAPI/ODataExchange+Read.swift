import EntityModel
import EntityQuery
import EntityService
import Foundation
import HTTPTypes

extension ODataExchange {
    /// `GET Set`, `GET Set('k')/Nav`: one page with `@odata.count` and `@odata.nextLink` as asked.
    ///
    /// The page holds `$top` entities when `$top` is at most `--max-page-size` (python-odata reads
    /// no next link after `$top`), else `--default-page-size` or `Prefer: odata.maxpagesize`, if
    /// smaller. The next link repeats every option, with the remaining `$top` and a keyset
    /// `$skiptoken` (the last entity's sort values and id), so inserts between pages neither repeat
    /// nor skip entities.
    func readCollection(_ collection: ODataEntityCollection, request: ODataRequest, options: ODataQueryOptions)
        async throws -> ODataResponse
    {
        let format = try format(for: request, options: options)
        let plan = try ODataListPlan(options: options, type: collection.type, model: model, aliases: options.aliases)
        let preferences = ODataPreferences(request.headers[values: .prefer])
        let configuration = service.configuration
        var pageSize: Int
        var remainingTop = plan.top
        if let top = plan.top, top <= configuration.maximumPageSize {
            pageSize = top
        } else {
            pageSize = min(configuration.defaultPageSize, preferences.maxPageSize ?? .max)
            if let top = plan.top { pageSize = min(pageSize, top) }
        }
        var headers = HTTPFields()
        if let maxPageSize = preferences.maxPageSize, plan.top == nil || plan.top! > configuration.maximumPageSize {
            headers[.preferenceApplied] = "odata.maxpagesize=\(maxPageSize)"
        }
        let sort = plan.sort
        let matches: [Filter] = [collection.constraint, plan.filter].compactMap { $0 }
        var conditions = matches
        var offset = plan.skip ?? 0
        var total: Int?
        if let token = options.skiptoken {
            switch try ODataSkipToken(text: token, sortKeyCount: sort.count) {
            case .after(let values, let id):
                conditions.append(ODataSkipToken.filter(after: values, id: id, keys: sort))
                offset = 0
                if plan.countsTotal {
                    // `@odata.count` counts the whole collection, not what follows the token.
                    let counting = Query(filter: Filter.all(matches), limit: 0, countsTotal: true)
                    total = try await service.list(counting, in: collection.path, as: caller).total
                }
            case .offset(let next): offset = next
            }
        }
        let countsPage = plan.countsTotal && total == nil
        // One more than the page tells whether another page follows (where the limit allows it),
        // unless the page's query counts its matches anyway: then the count tells.
        let probes = !countsPage && pageSize < configuration.maximumPageSize
        let query = Query(
            filter: Filter.all(conditions),
            sort: sort,
            limit: probes ? pageSize + 1 : pageSize,
            offset: offset,
            countsTotal: countsPage
        )
        let page = try await service.list(query, in: collection.path, as: caller)
        if countsPage { total = page.total }
        let entities = probes ? Array(page.entities.prefix(pageSize)) : page.entities
        let moreRows: Bool
        if probes {
            moreRows = page.entities.count > pageSize
        } else if countsPage, let total {
            moreRows = offset + entities.count < total
        } else {
            moreRows = entities.count == pageSize
        }
        let hasMore = moreRows && (remainingTop.map { $0 > pageSize } ?? true)
        remainingTop = remainingTop.map { $0 - entities.count }
        var trees = entities.map { tree($0, in: collection, selection: plan.selection) }
        try await expand(&trees, plans: plan.expansions, in: collection)
        var output: [UInt8] = []
        output.reserveCapacity(256 + trees.count * 256)
        var members = MemberWriter()
        output.append(UInt8(ascii: "{"))
        if format.metadata != .none {
            members.add("\(format.annotationPrefix)context", to: &output)
            JSON.writeString(
                context(contextFragment(collection.canonicalPrefix, selection: plan.selection)),
                into: &output
            )
        }
        let writer = ODataEntityWriter(model: model, format: format, serviceRoot: serviceRoot)
        if plan.countsTotal, let total {
            members.add("\(format.annotationPrefix)count", to: &output)
            writer.writeCount(total, into: &output)
        }
        members.add("value", to: &output)
        writer.write(trees, of: collection.type, into: &output)
        if hasMore, let last = entities.last {
            let token: ODataSkipToken
            if sort.allSatisfy({ isTyped($0.path, in: collection.type) }) {
                token = .init(after: sort.map { last.value(at: $0.path) ?? .null }, id: last.id)
            } else {
                token = .offset(offset + entities.count)
            }
            members.add("\(format.annotationPrefix)nextLink", to: &output)
            JSON.writeString(nextLink(request, top: remainingTop, token: token), into: &output)
        }
        output.append(UInt8(ascii: "}"))
        return .json(.ok, output, format: format, headers: headers)
    }

    /// `GET Set('k')`: the entity with `ETag`; 304 for a matching `If-None-Match`.
    func readEntity(_ address: ODataEntityAddress, request: ODataRequest, options: ODataQueryOptions) async throws
        -> ODataResponse
    {
        let format = try format(for: request, options: options)
        let plan = try ODataListPlan(
            options: options,
            type: address.collection.type,
            model: model,
            aliases: options.aliases
        )
        let entity = try await service.get(address.id, in: address.collection.path, as: caller)
        var headers = HTTPFields()
        headers[.eTag] = ETag.header(for: entity.version)
        if let match = request.header(.ifNoneMatch), match == "*" || match == ETag.header(for: entity.version) {
            headers[.odataVersion] = version.rawValue
            return ODataResponse(status: .notModified, headers: headers)
        }
        var trees = [tree(entity, in: address.collection, selection: plan.selection)]
        try await expand(&trees, plans: plan.expansions, in: address.collection)
        var output: [UInt8] = []
        let fragment = contextFragment(address.collection.canonicalPrefix, selection: plan.selection) + "/$entity"
        ODataEntityWriter(model: model, format: format, serviceRoot: serviceRoot)
            .write(trees[0], context: context(fragment), into: &output)
        return .json(.ok, output, format: format, headers: headers)
    }

    /// `GET Set/$count`: the number of matches of `$filter` and `$search` as `text/plain` (for any
    /// `Accept`: python-odata asks with `application/json`); `$top`, `$skip` and `$orderby` are ignored.
    func count(_ collection: ODataEntityCollection, request: ODataRequest, options: ODataQueryOptions) async throws
        -> ODataResponse
    {
        var counting = options
        counting.select = nil
        counting.expand = nil
        counting.orderby = nil
        let plan = try ODataListPlan(options: counting, type: collection.type, model: model, aliases: options.aliases)
        let conditions = [collection.constraint, plan.filter].compactMap { $0 }
        let page = try await service.list(
            Query(
                filter: Filter.all(conditions),
                limit: 0,
                countsTotal: true
            ),
            in: collection.path,
            as: caller
        )
        return .text(String(page.total ?? 0), version: version)
    }

    /// `GET Set('k')/Prop` (`{"value": …}`, 204 for null) and `GET Set('k')/Prop/$value` (raw text).
    func readProperty(_ address: ODataEntityAddress, _ property: ODataProperty, raw: Bool, request: ODataRequest)
        async throws -> ODataResponse
    {
        let entity = try await service.get(address.id, in: address.collection.path, as: caller)
        let value = entity.value(at: property.path) ?? .null
        guard value != .null else { return .noContent(version: version) }
        if raw {
            switch value {
            case .string(let text): return .text(text, version: version)
            case .integer, .number, .bool: return .text(value.description, version: version)
            default: throw ODataError(.badRequest, "$value is served for primitive properties only")
            }
        }
        var headers = HTTPFields()
        headers[.eTag] = ETag.header(for: entity.version)
        return try valueAnswer(
            value,
            type: property.type,
            context: "\(address.path)/\(property.name)",
            request: request,
            headers: headers
        )
    }

    func tree(_ entity: Entity, in collection: ODataEntityCollection, selection: Set<String>?) -> ODataEntityTree {
        ODataEntityTree(
            entity: entity,
            type: collection.type,
            collectionPrefix: collection.canonicalPrefix,
            selection: selection
        )
    }

    /// `products` or `products(id,name)`.
    func contextFragment(_ prefix: String, selection: Set<String>?) -> String {
        guard let selection else { return prefix }
        return "\(prefix)(\(selection.sorted().joined(separator: ",")))"
    }

    /// Whether `path` is a declared primitive property of `type` (or a metadata column), so that its
    /// values share one kind and keyset paging can order by it.
    func isTyped(_ path: FieldPath, in type: ODataStructuredType) -> Bool {
        path.components == ["id"]
            || type.properties.contains { property in
                property.path == path && !property.type.isCollection
                    && { if case .primitive = property.type { return true } else { return false } }()
            }
    }

    /// The request's URL with every option kept except `$skip`, `$top` and `$skiptoken`, which the
    /// remaining `$top` and the new token replace.
    func nextLink(_ request: ODataRequest, top: Int?, token: ODataSkipToken) -> String {
        var parts = request.query.split(separator: "&").filter { part in
            let name =
                (part.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "")
                .removingPercentEncoding?.lowercased() ?? ""
            let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
            return !["skip", "top", "skiptoken"].contains(bare)
        }.map(String.init)
        if let top { parts.append("$top=\(top)") }
        parts.append("$skiptoken=\(token.text)")
        return "\(serviceRoot)\(request.path)?\(parts.joined(separator: "&"))"
    }
}
