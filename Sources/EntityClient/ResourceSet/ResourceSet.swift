import EntityModel

/// A query over a collection: a filter, an order, a selection of fields, a search and a window.
///
/// A resource set is a value: every method returns a refined copy, and nothing is sent until it is
/// iterated or asked for ``count()`` or ``first()``. Iterating fetches pages lazily (of
/// ``EntityClient/Configuration/pageSize`` entities, following `Content-Range`):
///
/// ```swift
/// let published = client["products"]
///     .filter(R.status == "published" && R.price > 10)
///     .order(by: "-created", "name")
///     .select("id", "name", "price")
///
/// print(try await published.count())
/// for try await product in published[0..<50] {
///     print(product["name"] ?? nil)
/// }
/// let cheapest = try await published.order(by: "price").first()
/// ```
public struct ResourceSet: Sendable {
    /// The collection queried.
    public let collection: CollectionReference

    /// RQL terms, already encoded for the query string.
    private(set) var filterTerms: [String] = []
    private(set) var ordering: [String] = []
    private(set) var selection: [String] = []
    private(set) var searchTerm: String?
    /// The first entity of the window (0-based, among all matches).
    private(set) var offset = 0
    /// The most entities the set yields; `nil` for all.
    private(set) var maximumCount: Int?
    private(set) var pageSizeOverride: Int?
    /// Whether pages follow the last id seen rather than an offset; see ``pagedByID()``.
    private(set) var pagesByID = false

    init(collection: CollectionReference) {
        self.collection = collection
    }

    /// Only entities that also match the RQL text `rql`, sent as written
    /// (`eq(status,published)&lt(price,10)`); spaces and other characters are encoded for you.
    public func filter(_ rql: String) -> ResourceSet {
        var copy = self
        copy.filterTerms.append(PercentEncoding.rqlText(rql))
        return copy
    }

    /// Only entities that also match `filter`, such as `R.status == "published"`.
    public func filter(_ filter: RQLFilter) -> ResourceSet {
        var copy = self
        copy.filterTerms.append(filter.rql)
        return copy
    }

    /// Orders by `fields`, the first deciding first; a leading `-` means descending (`"-created"`).
    public func order(by fields: String...) -> ResourceSet {
        order(by: fields)
    }

    /// Orders by `fields`, the first deciding first; a leading `-` means descending (`"-created"`).
    public func order(by fields: [String]) -> ResourceSet {
        var copy = self
        copy.ordering = fields.map(PercentEncoding.rqlText)
        copy.pagesByID = false
        return copy
    }

    /// Orders by one field, descending when `descending` is `true`.
    public func order(by field: String, descending: Bool) -> ResourceSet {
        order(by: [descending ? "-" + field : field])
    }

    /// Returns only the given fields (dot paths); a leading `-` excludes a field instead
    /// (`select("-description")`).
    public func select(_ fields: String...) -> ResourceSet {
        var copy = self
        copy.selection += fields.map(PercentEncoding.rqlText)
        return copy
    }

    /// Leaves the given fields (dot paths) out of every entity.
    public func excluding(_ fields: String...) -> ResourceSet {
        var copy = self
        copy.selection += fields.map { PercentEncoding.rqlText("-" + $0) }
        return copy
    }

    /// Only entities whose searchable fields contain every word of `term` (words may be prefixes).
    public func search(_ term: String) -> ResourceSet {
        var copy = self
        copy.searchTerm = term
        return copy
    }

    /// At most `count` entities.
    public func limit(_ count: Int) -> ResourceSet {
        var copy = self
        copy.maximumCount = Swift.min(Swift.max(count, 0), maximumCount ?? .max)
        return copy
    }

    /// Fetches `size` entities per request while iterating, instead of the client's page size.
    public func pageSize(_ size: Int) -> ResourceSet {
        var copy = self
        copy.pageSizeOverride = Swift.max(size, 1)
        return copy
    }

    /// The same set in id order, read by "keyset" paging: each page asks for the entities after the last
    /// id seen instead of for an offset.
    ///
    /// Use it to walk a large collection: every page costs the same however deep the walk goes, and
    /// entities created or deleted meanwhile never shift others into or out of the pages (offset paging
    /// can skip or repeat entities then). It replaces any ``order(by:)-(String...)``.
    ///
    /// ```swift
    /// for try await product in client["products"].all.pagedByID().pageSize(1000) { … }
    /// ```
    public func pagedByID() -> ResourceSet {
        var copy = order(by: ["id"])
        copy.pagesByID = true
        return copy
    }

    /// The entities at positions `range` of this set (`set[10..<20]` is the second ten).
    public subscript(range: Range<Int>) -> ResourceSet {
        var copy = self
        let lower = Swift.max(range.lowerBound, 0)
        copy.offset = offset + lower
        let available = maximumCount.map { Swift.max($0 - lower, 0) } ?? .max
        copy.maximumCount = Swift.min(Swift.max(range.upperBound - lower, 0), available)
        return copy
    }

    /// The entities from position `range.lowerBound` of this set on.
    public subscript(range: PartialRangeFrom<Int>) -> ResourceSet {
        var copy = self
        let lower = Swift.max(range.lowerBound, 0)
        copy.offset = offset + lower
        copy.maximumCount = maximumCount.map { Swift.max($0 - lower, 0) }
        return copy
    }

    /// The number of entities in the set, read from the total of one `limit=0` request.
    public func count() async throws(EntityClientError) -> Int {
        let response = try await fetchPage(offset: 0, limit: 0)
        guard let total = try response.contentRange().total else {
            throw EntityClientError(
                .invalidResponse,
                status: response.status,
                errors: ["the answer's Content-Range has no total"],
                request: response.request
            )
        }
        let afterOffset = Swift.max(total - offset, 0)
        return Swift.min(afterOffset, maximumCount ?? .max)
    }

    /// The first entity of the set, or `nil` when it is empty.
    public func first() async throws(EntityClientError) -> JSON? {
        guard maximumCount != 0 else { return nil }
        return try await fetchPage(offset: offset, limit: 1).jsonArray().first
    }

    /// The first entity of the set decoded as `type`, or `nil` when the set is empty.
    public func first<T: Decodable>(as type: T.Type) async throws(EntityClientError) -> T? {
        guard maximumCount != 0 else { return nil }
        let response = try await fetchPage(offset: offset, limit: 1)
        return try collection.client.decode([T].self, from: response).first
    }

    /// All entities of the set in one array; fails rather than growing past `maximum` entities.
    public func collect(upTo maximum: Int = 100_000) async throws(EntityClientError) -> [JSON] {
        var entities: [JSON] = []
        for try await entity in self {
            guard entities.count < maximum else {
                throw EntityClientError.invalidArgument("the set has more than \(maximum) entities")
            }
            entities.append(entity)
        }
        return entities
    }

    var effectivePageSize: Int { pageSizeOverride ?? collection.client.configuration.pageSize }

    /// The query string of one page: `select(...)&filter&ordering(...)&limit=N&offset=M&search=...`, in
    /// the order the Connect client uses.
    func queryString(offset: Int, limit: Int) -> String {
        var terms: [String] = []
        if !selection.isEmpty { terms.append("select(" + selection.joined(separator: ",") + ")") }
        terms += filterTerms
        if !ordering.isEmpty { terms.append("ordering(" + ordering.joined(separator: ",") + ")") }
        terms.append("limit=\(limit)")
        terms.append("offset=\(offset)")
        if let searchTerm { terms.append("search=" + PercentEncoding.queryValue(searchTerm)) }
        return terms.joined(separator: "&")
    }

    /// One page of the set: `limit` entities from absolute position `offset`.
    func fetchPage(offset: Int, limit: Int, countingTotal: Bool = true) async throws(EntityClientError)
        -> ClientResponse
    {
        var request = ClientRequest(.GET, collection.encodedPath, query: queryString(offset: offset, limit: limit))
        if !countingTotal { request.setHeader("Prefer", "count=none") }
        return try await collection.client.executor.send(request)
    }
}
