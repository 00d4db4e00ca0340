import EntityModel
import EntityStore
import GRDB

/// A count condition as the total of a ``KeptTotals`` entry keeps it: the SQL that follows
/// `WHERE collection = ? AND ` in a count of the collection, with its arguments.
struct KeptCondition: Hashable, Sendable {
    let sql: String
    let arguments: [DatabaseValue]
}

/// The table of kept totals (see ``KeptTotals``): one row per total, adjusted by every write
/// transaction of its collection, and read in the snapshot of the page it totals.
///
/// The store is the only process on its file, so the conditions live in memory only; the table starts
/// empty with every process (``clear(in:)`` when the store opens).
enum KeptTotalsTable {
    static let creation = """
        CREATE TABLE kept_totals (
            id INTEGER PRIMARY KEY,
            collection TEXT NOT NULL,
            total INTEGER NOT NULL
        )
        """

    static func clear(in db: Database) throws {
        try db.execute(sql: "DELETE FROM kept_totals")
    }

    /// The kept total with row `id`, `nil` when its row is gone.
    static func total(id: Int64, in db: Database) throws -> Int? {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT total FROM kept_totals WHERE id = ?"), arguments: [id])
    }

    /// Counts the matches of `count` (the store's whole count query) and keeps the total in a new row,
    /// after evicting the least recently used total of `collection` when it has as many as it may keep.
    /// Runs inside a write transaction, so no write comes between the count and the row.
    static func keep(
        _ condition: KeptCondition,
        counting count: SQLFragment,
        in collection: String,
        totals: KeptTotals<KeptCondition>,
        db: Database
    ) throws {
        guard totals.id(of: condition, in: collection) == nil else { return }
        if let evicted = totals.evictionCandidate(in: collection) {
            try db.execute(sql: "DELETE FROM kept_totals WHERE id = ?", arguments: [evicted.id])
            totals.forget(id: evicted.id)
        }
        let total = try Int.fetchOne(db, sql: count.sql, arguments: count.statementArguments) ?? 0
        try db.execute(
            sql: "INSERT INTO kept_totals (collection, total) VALUES (?, ?)",
            arguments: [collection, total]
        )
        totals.keep(.init(id: db.lastInsertedRowID, collection: collection, condition: condition))
    }

    /// Drops every kept total: for the writes that change what many conditions match at once (a schema's
    /// search fields, a user's removal).
    static func dropAll(totals: KeptTotals<KeptCondition>, db: Database) throws {
        guard !totals.isEmpty else { return }
        try clear(in: db)
        totals.forgetAll()
    }
}

/// The adjustment of the kept totals around the writes of one transaction: ``init(_:totals:db:)``
/// counts, before the writes, how many of the entities to be written match each kept condition of their
/// collection; ``apply(db:)`` counts again after them and adds the differences to the totals.
///
/// Each count is one statement per written collection with one term per kept total, over the written
/// ids only (primary-key lookups), so a write costs a small fixed amount per kept total of its
/// collection, and nothing when none is kept.
struct KeptTotalsAdjustment {
    private struct Part {
        let entries: [KeptTotals<KeptCondition>.Entry]
        let statement: (prepared: Statement, arguments: StatementArguments)
        let before: [Int]
    }

    private let parts: [Part]

    /// - Parameter ids: the ids to be written, per collection storage key (``Swift/Array/writtenIDs``).
    init(_ ids: [String: [String]], totals: KeptTotals<KeptCondition>, db: Database) throws {
        var parts: [Part] = []
        for (collection, written) in ids {
            let entries = totals.entries(in: collection)
            guard !entries.isEmpty else { continue }
            // Prepared for this transaction only (its text changes with the kept conditions, and a cache
            // of every text there was would grow without bound).
            let matches = Self.matches(of: entries, among: written, in: collection)
            let statement = (try db.makeStatement(sql: matches.sql), matches.statementArguments)
            parts.append(Part(entries: entries, statement: statement, before: try Self.count(statement)))
        }
        self.parts = parts
    }

    /// Counts again and adds the differences to the totals.
    func apply(db: Database) throws {
        for part in parts {
            let after = try Self.count(part.statement)
            for (index, entry) in part.entries.enumerated() where after[index] != part.before[index] {
                try db.cachedStatement(sql: "UPDATE kept_totals SET total = total + ? WHERE id = ?")
                    .execute(arguments: [after[index] - part.before[index], entry.id])
            }
        }
    }

    private static func matches(
        of entries: [KeptTotals<KeptCondition>.Entry],
        among ids: [String],
        in collection: String
    ) -> SQLFragment {
        var terms = SQLFragment("SELECT ")
        for (index, entry) in entries.enumerated() {
            if index > 0 { terms += SQLFragment(", ") }
            terms +=
                SQLFragment("count(CASE WHEN ") + SQLFragment(entry.condition.sql, entry.condition.arguments)
                + SQLFragment(" THEN 1 END)")
        }
        return terms
            + SQLFragment(
                " FROM entities WHERE collection = ? AND id IN (SELECT value FROM json_each(?))",
                [collection.databaseValue, JSON.array(ids.map(JSON.string)).serialized().databaseValue]
            )
    }

    private static func count(_ statement: (prepared: Statement, arguments: StatementArguments)) throws -> [Int] {
        guard let row = try Row.fetchOne(statement.prepared, arguments: statement.arguments) else {
            return []
        }
        return (0..<row.count).map { row[$0] as Int? ?? 0 }
    }
}
