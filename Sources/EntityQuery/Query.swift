import EntityModel

/// A complete list request: filter, order, projection, full-text search and page.
public struct Query: Sendable, Hashable {
    public var filter: Filter?
    /// Sort keys, most significant first. Results are always finally ordered by `id` for stable pages.
    public var sort: [SortKey]
    public var projection: Projection?
    /// Full-text search: split at whitespace into terms; a document matches when every term is a
    /// prefix of some word of its search fields (the collection's declared `search` fields, or every
    /// top-level string field when none are declared). Words are maximal runs of letters and digits,
    /// compared lowercased with diacritics removed (as FTS5's `unicode61` tokenizer does). A term is
    /// itself cut into such words (`foo-bar` needs a word starting with `foo` and one with `bar`); a
    /// search without any word matches everything. Only string values are searched, and "every
    /// top-level string field" excludes `id`. ``Evaluator/matchesSearch(_:document:searchFields:)`` is
    /// the reference. ``Filter/search(_:)`` applies the same rules inside a filter, where searches
    /// combine with `or` and `not`.
    public var search: String?
    public var limit: Int
    public var offset: Int
    /// Whether the page comes with the total number of matches. Counting visits every match, so a
    /// client that walks a large collection page by page (keyset paging) can turn it off.
    public var countsTotal: Bool
    /// Restricts the matches (and the total) to the entities this user created or holds a grant on,
    /// of any right; `nil` places no restriction. ``EntityService`` sets it for every caller whose
    /// collection default gives no read right, so access is decided in the database, before paging.
    public var readableBy: String?

    public init(
        filter: Filter? = nil,
        sort: [SortKey] = [],
        projection: Projection? = nil,
        search: String? = nil,
        limit: Int = 100,
        offset: Int = 0,
        countsTotal: Bool = true,
        readableBy: String? = nil
    ) {
        self.filter = filter
        self.sort = sort
        self.projection = projection
        self.search = search
        self.limit = limit
        self.offset = offset
        self.countsTotal = countsTotal
        self.readableBy = readableBy
    }
}

/// One sort key: a field path and a direction.
///
/// Order of mixed values, ascending: missing or `null`, then booleans (false, true), then numbers
/// (numeric), then strings (by UTF-8 bytes), then arrays, then objects (arrays and objects keep no
/// further order among themselves). Descending is the exact reverse. Ties are broken by `id` ascending.
public struct SortKey: Sendable, Hashable {
    public var path: FieldPath
    public var descending: Bool

    public init(_ path: FieldPath, descending: Bool = false) {
        self.path = path
        self.descending = descending
    }
}

/// Which fields of a document to return: `select(a,b.c,-d)`.
///
/// With no inclusions every field is kept; with inclusions only those paths (and `id` and `_meta`,
/// always kept) are. Exclusions are then removed.
public struct Projection: Sendable, Hashable {
    public var include: [FieldPath]
    public var exclude: [FieldPath]

    public init(include: [FieldPath] = [], exclude: [FieldPath] = []) {
        self.include = include
        self.exclude = exclude
    }
}
