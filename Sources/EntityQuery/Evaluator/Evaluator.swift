import EntityModel

/// The in-memory reference implementation of EntityHub's query semantics.
///
/// It implements exactly what ``Filter``, ``SortKey``, ``Projection`` and ``Query/search``
/// document, and is the oracle every storage backend is tested against. Documents are entity
/// documents (``Entity/document``: the values plus `id` and `_meta`).
///
/// ```swift
/// let query = Query(filter: .compare("status", .eq, .literal("published", quoted: false)), limit: 10)
/// let (page, total) = Evaluator.run(query, over: documents, searchFields: ["name"])
/// ```
///
/// Edge cases, fixed here for every backend:
/// - Untyped literals (``QueryValue/literal(_:quoted:)``) are typed by ``QueryValue/inferred``, so
///   `eq(code,10)` does not match the string `"10"`; type predicates with ``Filter/typed(by:)``
///   first to compare by declared field types.
/// - Numbers compare by exact decimal value (``JSON/numericallyCompared(to:)``): `10 == 10.0 == 1e1`,
///   `9007199254740993 > 9007199254740992`, `1e400 > 1e399`. Nothing is rounded through `Double`.
/// - Strings are equal only when their UTF-8 bytes are (no Unicode normalization: precomposed `é`
///   differs from `e` + U+0301) and order by their UTF-8 bytes (`"B" < "a"`, `"Z" < "é"`).
/// - A JSON `null` field is present but equals nothing: `eq(f,x)` is false and `ne(f,x)` true, as for
///   a missing field. A query value that is JSON `null`, an array or an object equals nothing.
public enum Evaluator {
    /// Filters, searches, sorts, pages and projects `documents` as a list request would.
    ///
    /// - Parameters:
    ///   - searchFields: the collection's declared search fields (dot paths), for ``Query/search``
    ///     and ``Filter/search(_:)``; empty means every top-level string field except `id`.
    ///   - related: the documents a ``Relation`` links a document to, readable by its
    ///     ``Relation/readableBy`` (see ``matches(_:_:related:searchFields:)``); by default there are none.
    /// - Returns: the projected page and the number of documents matching filter and search.
    public static func run(
        _ query: Query,
        over documents: [JSON],
        searchFields: [String],
        related: (Relation, JSON) -> [JSON] = { _, _ in [] }
    ) -> (page: [JSON], total: Int) {
        let matching = documents.filter { document in
            if let filter = query.filter, !matches(filter, document, related: related, searchFields: searchFields) {
                return false
            }
            if let search = query.search, !matchesSearch(search, document: document, searchFields: searchFields) {
                return false
            }
            return true
        }
        let page = sorted(matching, by: query.sort)
            .dropFirst(max(0, query.offset))
            .prefix(max(0, query.limit))
        return (page.map { document in query.projection.map { project(document, $0) } ?? document }, matching.count)
    }
}
