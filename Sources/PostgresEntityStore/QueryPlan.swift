import EntityModel
import EntityQuery
import EntityStore
import Logging
import PostgresNIO

/// A ``Query`` compiled for one collection: the page query and the matching count query.
struct QueryPlan: Sendable {
    /// `WHERE …` shared by the page and the count.
    private let whereClause: SQLFragment
    private let orderBy: SQLFragment
    private let limit: Int
    private let offset: Int
    private let countsTotal: Bool
    private let projection: Projection?
    private let collection: CollectionPath
    private let searches: Bool
    /// Whether the matches depend on grants (``Query/readableBy``), which change without a change-log row.
    private let readsGrants: Bool
    /// True when the filter can match nothing: no database work is needed.
    let isEmpty: Bool

    init(_ query: Query, in collection: CollectionPath) {
        var clause = SQLFragment(" WHERE collection = ") + .bind(.text(collection.storageKey))
        var isEmpty = false
        if let filter = query.filter {
            switch FilterCompiler.compile(filter) {
            case .always: break
            case .never: isEmpty = true
            case .sql(let condition): clause += SQLFragment(" AND ") + condition.parenthesized
            }
        }
        if let search = query.search, let terms = FullTextSearch.query(search) {
            clause += SQLFragment(" AND search_words @@ ") + .bind(.text(terms), "::tsquery")
        }
        if let reader = query.readableBy {
            // No stored name holds U+0000 (text columns cannot), so such a reader reads nothing.
            if AccessTables.isUnstorable(reader) { isEmpty = true }
            clause += SQLFragment(" AND ") + FilterCompiler.readable(by: reader, in: collection, table: "entities")
        }
        self.whereClause = clause
        self.isEmpty = isEmpty
        self.orderBy = SortCompiler.orderBy(query.sort)
        self.limit = max(0, query.limit)
        self.offset = max(0, query.offset)
        self.countsTotal = query.countsTotal
        self.projection = query.projection
        self.collection = collection
        self.searches = query.search != nil || (query.filter.map(FilterCompiler.searches) ?? false)
        self.readsGrants = query.readableBy != nil || (query.filter.map(FilterCompiler.readsGrants) ?? false)
    }

    /// The page query.
    var pageSQL: SQLFragment {
        SQLFragment("SELECT \(EntityRow.columns) FROM entities") + whereClause + orderBy
            + SQLFragment(" LIMIT ") + .bind(.integer(Int64(limit))) + SQLFragment(" OFFSET ")
            + .bind(.integer(Int64(offset)))
    }

    var countSQL: SQLFragment {
        SQLFragment("SELECT count(*) FROM entities") + whereClause
    }

    /// Whether ``run(on:logger:maximumJSONDepth:)`` may need the count: then page and count must
    /// read one snapshot.
    var mayCount: Bool { countsTotal }

    /// Runs the page query and, unless the page itself proves the total or `totals` has it for this
    /// snapshot, the count.
    func run(
        on connection: PostgresConnection,
        logger: Logger,
        maximumJSONDepth: Int,
        totals: TotalCache
    ) async throws -> QueryPage {
        var entities: [Entity] = []
        if limit > 0 {
            let rows = try await connection.query(pageSQL.query, logger: logger).collect()
            entities.reserveCapacity(rows.count)
            for row in rows {
                entities.append(
                    try EntityRow.entity(
                        row,
                        in: collection,
                        maximumJSONDepth: maximumJSONDepth,
                        projection: projection
                    )
                )
            }
        }
        let total: Int?
        if limit > 0, entities.count < limit, !entities.isEmpty || offset == 0 {
            total = offset + entities.count
        } else if !countsTotal {
            total = nil
        } else {
            total = try await count(on: connection, logger: logger, totals: totals)
        }
        return QueryPage(entities: entities, total: total)
    }

    private func count(on connection: PostgresConnection, logger: Logger, totals: TotalCache) async throws -> Int {
        let position = searches ? nil : try await Self.position(on: connection, logger: logger, grants: readsGrants)
        if let position, let total = totals.total(for: whereClause.pieces, at: position) { return total }
        let rows = try await connection.query(countSQL.query, logger: logger).collect()
        let total = Int(try rows.first?.decode(Int64.self) ?? 0)
        if let position { totals.store(total, for: whereClause.pieces, at: position) }
        return total
    }

    /// What the snapshot of `connection` has seen: the last change-log sequence and, when the count
    /// depends on grants, the last audit sequence (every grant change writes an audit row in its
    /// transaction, numbered densely in commit order, so it names exactly the grant changes seen).
    private static func position(on connection: PostgresConnection, logger: Logger, grants: Bool) async throws
        -> TotalCache.Position?
    {
        guard grants else {
            let rows = try await connection.query("SELECT COALESCE(max(sequence), 0) FROM changes", logger: logger)
                .collect()
            return try rows.first.map { TotalCache.Position(changes: try $0.decode(Int64.self), audit: nil) }
        }
        let rows = try await connection.query(
            """
            SELECT (SELECT COALESCE(max(sequence), 0) FROM changes), \
            (SELECT COALESCE(max(sequence), 0) FROM audit_log)
            """,
            logger: logger
        ).collect()
        return try rows.first.map { row in
            let (changes, audit) = try row.decode((Int64, Int64).self)
            return TotalCache.Position(changes: changes, audit: audit)
        }
    }
}
