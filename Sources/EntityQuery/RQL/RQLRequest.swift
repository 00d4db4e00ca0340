/// Everything a list request's query string says: filter, order, projection, search and page.
///
/// Produced by ``RQLParser/parse(queryString:)``. Values in ``filter`` are still untyped
/// literals; type them with ``Filter/typed(by:)`` against the collection's schema.
///
/// ```swift
/// let request = try RQLParser().parse(queryString: "eq(status,published)&ordering(-created)&limit=10")
/// request.sort     // [SortKey("created", descending: true)]
/// request.limit    // 10
/// ```
public struct RQLRequest: Sendable, Hashable {
    /// The top-level filter terms, and-ed (a single term is returned as itself); `nil` when none.
    public var filter: Filter?
    /// `ordering(...)` / `sort(...)` keys, most significant first.
    public var sort: [SortKey]
    /// `select(...)`, when given.
    public var projection: Projection?
    /// The form-decoded `search=` term; `nil` when absent or empty.
    public var search: String?
    /// `limit=N`, when given.
    public var limit: Int?
    /// `offset=N`, when given.
    public var offset: Int?

    /// Creates a request; every part defaults to "not given".
    public init(
        filter: Filter? = nil,
        sort: [SortKey] = [],
        projection: Projection? = nil,
        search: String? = nil,
        limit: Int? = nil,
        offset: Int? = nil
    ) {
        self.filter = filter
        self.sort = sort
        self.projection = projection
        self.search = search
        self.limit = limit
        self.offset = offset
    }

    /// The request as a ``Query``, with `defaultLimit` when no `limit` was given and offset 0 when no
    /// `offset` was.
    public func query(defaultLimit: Int = 100) -> Query {
        Query(
            filter: filter,
            sort: sort,
            projection: projection,
            search: search,
            limit: limit ?? defaultLimit,
            offset: offset ?? 0
        )
    }
}
