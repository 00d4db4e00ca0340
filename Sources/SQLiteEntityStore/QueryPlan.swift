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

    init(_ query: Query, in collection: CollectionPath, indexedPaths: Set<[String]>) throws(StoreError) {
        let compiler = FilterCompiler(indexedPaths: indexedPaths)
        var clause = SQLFragment(" WHERE collection = ?", [collection.storageKey.databaseValue])
        var isEmpty = false
        if let filter = query.filter {
            switch try compiler.compile(filter) {
            case .always: break
            case .never: isEmpty = true
            case .sql(let condition): clause += SQLFragment(" AND ") + condition.parenthesized
            }
        }
        if let search = query.search, let match = FullTextSearch.matchExpression(search) {
            clause += SQLFragment(
                " AND rid IN (SELECT rowid FROM entities_fts WHERE entities_fts MATCH ?)",
                [match.databaseValue]
            )
        }
        if let reader = query.readableBy {
            clause += SQLFragment(" AND ") + FilterCompiler.readable(by: reader, in: collection, table: "entities")
        }
        self.whereClause = clause
        self.isEmpty = isEmpty
        self.orderBy = try SortCompiler.orderBy(
            query.sort,
            indexedPaths: indexedPaths,
            preferFilterIndex: query.filter.map(compiler.usesIndex) ?? false,
            filterIndexGivesOrder: query.filter.map(compiler.hasIndexedEquality) ?? false
        )
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

    /// Runs the page query and, unless the page itself proves the total, the count, in one read
    /// transaction so both see the same data.
    func run(_ db: Database, maximumJSONDepth: Int, counts: CountCache, generation: UInt64) throws -> QueryPage {
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
            let count = countSQL
            let key = CountCache.Key(sql: count.sql, arguments: count.arguments)
            if let cached = counts.total(for: key, generation: generation) {
                total = cached
            } else {
                let counted = try Int.fetchOne(db, sql: count.sql, arguments: count.statementArguments) ?? 0
                counts.store(counted, for: key, generation: generation)
                total = counted
            }
        }
        return QueryPage(entities: entities, total: total)
    }
}
