import EntityModel
import EntityQuery
import EntityService
import Foundation
import HTTPTypes
import Hummingbird
import NGSILD

/// What selects the entities of a query (§5), and which of their attributes to show: from URL
/// parameters or from a POST `Query` body.
struct NGSILDSelection: Sendable {
    /// One `EntityInfo`: a type selection, ids or an id pattern (all optional).
    struct EntityInfo: Sendable {
        var types: String?
        var ids: [String]?
        var idPattern: String?
    }

    /// Entities matching any of these (none: no restriction).
    var entities: [EntityInfo] = []
    var q: String?
    var scopeQ: String?
    var attrs: [String]?
    var pick: [String]?
    var omit: [String]?
    var lang: String?
    var local: Bool?

    /// The selection of a `GET /entities` or `DELETE /entities`.
    init(parameters: NGSILDParameters) throws(NGSILDProblem) {
        let types = parameters["type"]
        let ids = parameters.list("id")
        let idPattern = parameters["idPattern"]
        if types != nil || ids != nil || idPattern != nil {
            entities = [EntityInfo(types: types, ids: ids, idPattern: idPattern)]
        }
        q = parameters["q"]
        scopeQ = parameters["scopeQ"]
        attrs = parameters.list("attrs")
        pick = parameters.list("pick")
        omit = parameters.list("omit")
        lang = parameters["lang"]
        local = try parameters.boolean("local")
    }

    init() {}
}

extension NGSILDExchange {
    /// `GET /entities`: Query Entities (5.7.2).
    func queryEntities() async throws -> Response {
        let (context, source) = try await linkContext()
        return try await answerQuery(try NGSILDSelection(parameters: parameters), context: context, source: source)
    }

    /// `POST /entityOperations/query`: the same query, described by a `Query` body (6.23).
    func queryByPost() async throws -> Response {
        let object = try await objectBody()
        try requireNoLinkWithLD()
        let (given, body) = try bodyContext(of: object, required: false)
        let context = try await activeContext(for: given)
        let source = NGSILDContextSource(given: given)
        let selection = try NGSILDQueryBody(body).selection(local: try parameters.boolean("local"))
        return try await answerQuery(selection, context: context, source: source)
    }

    /// `DELETE /entities?type=…`: Purge Entities (5.6.21), every matching entity the caller may delete.
    func purgeEntities() async throws -> Response {
        let (context, _) = try await linkContext()
        let filter = try NGSILDQueryPlanner(context: context).filter(for: try NGSILDSelection(parameters: parameters))
        // Pages by id, so what the caller may read but not delete (it stays) is not listed again.
        try await forEachPage(matching: filter) { page in
            _ = try await service.performEach(
                page.map { BatchOperation.delete(id: $0.id) },
                in: collection,
                as: caller
            )
        }
        return NGSILDAnswer.noContent()
    }

    private func answerQuery(
        _ selection: NGSILDSelection,
        context: ActiveContext,
        source: NGSILDContextSource
    ) async throws -> Response {
        let planner = NGSILDQueryPlanner(context: context)
        let filter = try planner.filter(for: selection)
        let count = try parameters.boolean("count") ?? false
        let limit = try parameters.nonNegativeInteger("limit") ?? service.configuration.defaultPageSize
        let offset = try parameters.nonNegativeInteger("offset") ?? 0
        guard limit <= service.configuration.maximumPageSize else {
            throw NGSILDProblem(
                .tooManyResults,
                "limit: at most \(service.configuration.maximumPageSize) entities per page, asked for \(limit)"
            )
        }
        if limit == 0, !count {
            throw NGSILDProblem(.badRequestData, "limit: 0 is only allowed with count=true")
        }
        let renderer = try entityRenderer(context: context, selection: selection)
        let page = try await service.list(
            Query(filter: filter, sort: [SortKey("id")], limit: limit, offset: offset, countsTotal: count),
            in: collection,
            as: caller
        )
        var headers = HTTPFields()
        if count, let total = page.total { headers[.ngsildResultsCount] = String(total) }
        let links = pagingLinks(limit: limit, offset: offset, returned: page.entities.count, total: page.total)
        let answer = NGSILDAnswer(type: answerType, context: source)
        if answerType == .geoJSON {
            return answer.document(renderer.featureCollection(page.entities), headers: headers, links: links)
        }
        return answer.entities(page.entities.map { renderer.render($0) }, headers: headers, links: links)
    }

    /// Runs `body` on every entity matching `filter` that the caller may read, a page of the largest
    /// page size at a time, in id order (keyset paging: entities `body` leaves in place are not met again).
    func forEachPage(matching filter: Filter, _ body: ([Entity]) async throws -> Void) async throws {
        var after: String?
        while true {
            let pageFilter = after.map { Filter.and([filter, .compare("id", .gt, .json(.string($0)))]) } ?? filter
            let page = try await service.list(
                Query(
                    filter: pageFilter,
                    sort: [SortKey("id")],
                    limit: service.configuration.maximumPageSize,
                    countsTotal: false
                ),
                in: collection,
                as: caller
            )
            guard let last = page.entities.last else { return }
            try await body(page.entities)
            guard page.entities.count == service.configuration.maximumPageSize else { return }
            after = last.id
        }
    }

    /// `prev` and `next` links of a page (§5.5): the request's parameters sorted by name, `offset` moved.
    private func pagingLinks(limit: Int, offset: Int, returned: Int, total: Int?) -> [String] {
        guard limit > 0 else { return [] }
        var links: [String] = []
        if offset > 0 {
            links.append(pagingLink(offset: max(0, offset - limit), relation: "prev"))
        }
        let more = total.map { offset + returned < $0 } ?? (returned == limit)
        if more {
            links.append(pagingLink(offset: offset + limit, relation: "next"))
        }
        return links
    }

    private func pagingLink(offset: Int, relation: String) -> String {
        var pairs = parameters.pairs.filter { $0.name != "offset" }
        pairs.append(("offset", String(offset)))
        let query = pairs.sorted { $0.name < $1.name }
            .map {
                "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: .ngsildQueryValue) ?? $0.value)"
            }
            .joined(separator: "&")
        return "<\(request.uri.path)?\(query)>; rel=\"\(relation)\"; type=\"\(answerType.rawValue)\""
    }
}

extension CharacterSet {
    /// What a paging link's parameter value keeps unescaped (§5.5): all but what a query cannot hold.
    static let ngsildQueryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&<>\"#"))
}
