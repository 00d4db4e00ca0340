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
    /// True when the filter can match nothing: no database work is needed.
    let isEmpty: Bool
    /// The condition whose total the store may keep (``KeptTotals``): filter, search and reader, when
    /// the filter depends on each entity's own values alone; `nil` for totals counted every time.
    let keptCondition: KeptCondition?

    init(_ query: Query, in collection: CollectionPath) {
        var conditions: [SQLFragment] = []
        var isEmpty = false
        if let filter = query.filter {
            switch FilterCompiler.compile(filter) {
            case .always: break
            case .never: isEmpty = true
            case .sql(let condition): conditions.append(condition.parenthesized)
            }
        }
        if let search = query.search, let terms = FullTextSearch.query(search) {
            conditions.append(SQLFragment("search_words @@ ") + .bind(.text(terms), "::tsquery"))
        }
        if let reader = query.readableBy {
            // No stored name holds U+0000 (text columns cannot), so such a reader reads nothing.
            if AccessTables.isUnstorable(reader) { isEmpty = true }
            conditions.append(FilterCompiler.readable(by: reader, in: collection, table: "entities"))
        }
        let condition = SQLFragment.joined(conditions, separator: " AND ")
        var clause = SQLFragment(" WHERE collection = ") + .bind(.text(collection.storageKey))
        if !conditions.isEmpty { clause += SQLFragment(" AND ") + condition }
        self.whereClause = clause
        self.keptCondition =
            query.filter?.dependsOnlyOnItsDocument ?? true
            ? (conditions.isEmpty ? [.sql("true")] : condition.pieces) : nil
        self.isEmpty = isEmpty
        self.orderBy = SortCompiler.orderBy(query.sort)
        self.limit = max(0, query.limit)
        self.offset = max(0, query.offset)
        self.countsTotal = query.countsTotal
        self.projection = query.projection
        self.collection = collection
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

    /// Runs the page query and, unless the page itself proves the total, reads or counts the total
    /// (``TotalSource``). The caller runs it in one snapshot when ``mayCount``, except with
    /// ``TotalSource/kept(_:)``, whose one statement reads page and total together.
    func run(
        on connection: PostgresConnection,
        logger: Logger,
        maximumJSONDepth: Int,
        totals: TotalSource
    ) async throws -> TotalOutcome {
        var inline: Int64?
        if case .kept(let id?) = totals, countsTotal { inline = id }
        var entities: [Entity] = []
        var keptTotal: Int64??
        if limit > 0 {
            let statement = inline.map(pageSQL(withKeptTotal:)) ?? pageSQL
            let rows = try await connection.query(statement.query, logger: logger).collect()
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
                if inline != nil, keptTotal == nil {
                    keptTotal = .some(try row.makeRandomAccess()[EntityRow.columnCount].decode(Int64?.self))
                }
            }
        }
        let total: Int?
        if limit > 0, entities.count < limit, !entities.isEmpty || offset == 0 {
            total = offset + entities.count
        } else if !countsTotal {
            total = nil
        } else {
            switch totals {
            case .count:
                total = try await count(on: connection, logger: logger)
            case .kept(let id):
                if let keptTotal {
                    guard let keptTotal else { return .needsKeptTotal }
                    total = Int(keptTotal)
                } else if limit > 0 {
                    return id == nil ? .needsKeptTotal : .needsSnapshot
                } else {
                    guard let id, let kept = try await KeptTotalStatements.total(id: id, on: connection, logger: logger)
                    else { return .needsKeptTotal }
                    total = kept
                }
            case .keptOrCount(let id):
                if let id, let kept = try await KeptTotalStatements.total(id: id, on: connection, logger: logger) {
                    total = kept
                } else {
                    total = try await count(on: connection, logger: logger)
                }
            }
        }
        return .page(QueryPage(entities: entities, total: total))
    }

    /// The page query with the kept total of row `id` as one more column (`NULL` when the row is gone).
    private func pageSQL(withKeptTotal id: Int64) -> SQLFragment {
        SQLFragment("SELECT \(EntityRow.columns), (SELECT total FROM kept_totals WHERE id = ") + .bind(.integer(id))
            + SQLFragment(") FROM entities") + whereClause + orderBy + SQLFragment(" LIMIT ")
            + .bind(.integer(Int64(limit))) + SQLFragment(" OFFSET ") + .bind(.integer(Int64(offset)))
    }

    private func count(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(countSQL.query, logger: logger).collect()
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }
}
