import EntityModel
import EntityQuery
import EntityStore
import GRDB

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
    /// Whether the page reads at most ~1,000 index entries and rows: no search, the default order, and
    /// no filter or an equality on an indexed path (whose index gives that order), up to offset + limit
    /// 1,000. Such a page with a kept total takes less time than two thread hops.
    let readsFewRows: Bool

    init(_ query: Query, in collection: CollectionPath, indexedPaths: Set<[String]>) throws(StoreError) {
        let compiler = FilterCompiler(indexedPaths: indexedPaths)
        var conditions: [SQLFragment] = []
        var isEmpty = false
        if let filter = query.filter {
            switch try compiler.compile(filter) {
            case .always: break
            case .never: isEmpty = true
            case .sql(let condition): conditions.append(condition.parenthesized)
            }
        }
        if let search = query.search, let match = FullTextSearch.matchExpression(search) {
            conditions.append(
                SQLFragment("rid IN (SELECT rowid FROM entities_fts WHERE entities_fts MATCH ?)", [match.databaseValue])
            )
        }
        if let reader = query.readableBy {
            conditions.append(FilterCompiler.readable(by: reader, in: collection, table: "entities"))
        }
        let condition = SQLFragment.joined(conditions, separator: " AND ")
        var clause = SQLFragment(" WHERE collection = ?", [collection.storageKey.databaseValue])
        if !conditions.isEmpty { clause += SQLFragment(" AND ") + condition }
        self.whereClause = clause
        self.keptCondition =
            query.filter?.dependsOnlyOnItsDocument ?? true
            ? KeptCondition(sql: conditions.isEmpty ? "1" : condition.sql, arguments: condition.arguments) : nil
        self.isEmpty = isEmpty
        self.orderBy = try SortCompiler.orderBy(
            query.sort,
            indexedPaths: indexedPaths,
            preferFilterIndex: query.filter.map(compiler.usesIndex) ?? false,
            filterIndexGivesOrder: query.filter.map(compiler.hasIndexedEquality) ?? false
        )
        self.readsFewRows =
            query.search == nil && query.sort.isEmpty && (query.filter.map(compiler.hasIndexedEquality) ?? true)
            && max(0, query.offset) + max(0, query.limit) <= 1_000
        self.limit = max(0, query.limit)
        self.offset = max(0, query.offset)
        self.countsTotal = query.countsTotal
        self.projection = query.projection
        self.collection = collection
    }

    /// The page query.
    var pageSQL: SQLFragment {
        SQLFragment("SELECT \(EntityRow.columns) FROM entities") + whereClause + orderBy
            + SQLFragment(" LIMIT ? OFFSET ?", [limit.databaseValue, offset.databaseValue])
    }

    var countSQL: SQLFragment {
        SQLFragment("SELECT COUNT(*) FROM entities") + whereClause
    }

    /// Runs the page query and, unless the page itself proves the total, reads or counts the total, in
    /// one read transaction so both see the same data.
    func run(_ db: Database, maximumJSONDepth: Int, totals: TotalSource) throws -> TotalOutcome {
        var entities: [Entity] = []
        if limit > 0 {
            let page = pageSQL
            let statement = try db.makeStatement(sql: page.sql)
            let rows = try Row.fetchCursor(statement, arguments: page.statementArguments)
            let project = projection.map { projection in { (values: [String: JSON]) in projection.apply(to: values) } }
            while let row = try rows.next() {
                entities.append(
                    try EntityRow.entity(row, in: collection, maximumJSONDepth: maximumJSONDepth, projection: project)
                )
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
                total = try count(db)
            case .kept(let id):
                guard let id, let kept = try KeptTotalsTable.total(id: id, in: db) else { return .needsKeptTotal }
                total = kept
            case .keptOrCount(let id):
                total = try id.flatMap { try KeptTotalsTable.total(id: $0, in: db) } ?? count(db)
            }
        }
        return .page(QueryPage(entities: entities, total: total))
    }

    private func count(_ db: Database) throws -> Int {
        let count = countSQL
        return try Int.fetchOne(db, sql: count.sql, arguments: count.statementArguments) ?? 0
    }
}
