import EntityStore
import Foundation
import Logging
import PostgresNIO

/// A count condition as a kept total (``KeptTotals``) keeps it: the bound SQL that follows
/// `WHERE collection = $1 AND ` in a count of the collection.
typealias KeptCondition = [SQLFragment.Piece]

/// The tables of kept totals (see ``KeptTotals``), shared by every process on the database.
///
/// `kept_totals` holds one row per total with its condition (JSON of the bound pieces), adjusted by every
/// write transaction of its collection, whichever process writes; a reader reads the row in the snapshot
/// of its page. `kept_totals_state.generation` grows whenever a row is added or removed: a writer reads
/// it under the change log's lock (``PostgresEntityStore/lockChanges(_:logger:)``) and reloads the
/// conditions when another process changed them, so no write misses a total that was kept before it.
/// Rows are added and removed under the same lock, so no write comes between a row's count and its row.
enum KeptTotalStatements {
    static let creation = [
        """
        CREATE TABLE kept_totals (
            id bigserial PRIMARY KEY,
            collection text COLLATE "C" NOT NULL,
            condition text NOT NULL,
            total bigint NOT NULL
        )
        """,
        "CREATE TABLE kept_totals_state (generation bigint NOT NULL)",
        "INSERT INTO kept_totals_state (generation) VALUES (0)",
    ]

    /// Brings `totals` to `generation` (read under the change log's lock), reloading the conditions
    /// when another process added or removed one.
    static func synchronize(
        _ totals: KeptTotals<KeptCondition>,
        to generation: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard totals.generation != generation else { return }
        let rows = try await connection.query("SELECT id, collection, condition FROM kept_totals", logger: logger)
            .collect()
        let decoder = JSONDecoder()
        var entries: [KeptTotals<KeptCondition>.Entry] = []
        for row in rows {
            let (id, collection, condition) = try row.decode((Int64, String, String).self)
            // A condition this version cannot read (written by another) is kept by the processes that can.
            guard let pieces = try? decoder.decode(KeptCondition.self, from: Data(condition.utf8)) else { continue }
            entries.append(.init(id: id, collection: collection, condition: pieces))
        }
        totals.replace(with: entries, generation: generation)
    }

    /// The kept total with row `id`, `nil` when its row is gone.
    static func total(id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> Int? {
        let rows = try await connection.query("SELECT total FROM kept_totals WHERE id = \(id)", logger: logger)
            .collect()
        return try rows.first.map { Int(try $0.decode(Int64.self)) }
    }

    /// Counts the matches of `count` (the store's whole count query) and keeps the total in a new row,
    /// after evicting the least recently used total of `collection` when it has as many as it may keep.
    /// The caller holds the change log's lock and has synchronized `totals`.
    static func keep(
        _ condition: KeptCondition,
        counting count: SQLFragment,
        in collection: String,
        totals: KeptTotals<KeptCondition>,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard totals.id(of: condition, in: collection) == nil else { return }
        if let evicted = totals.evictionCandidate(in: collection) {
            try await connection.query("DELETE FROM kept_totals WHERE id = \(evicted.id)", logger: logger)
            totals.forget(id: evicted.id)
        }
        let counted = try await connection.query(count.query, logger: logger).collect()
        let total = try counted.first?.decode(Int64.self) ?? 0
        let text = String(decoding: try JSONEncoder().encode(condition), as: UTF8.self)
        let inserted = try await connection.query(
            """
            INSERT INTO kept_totals (collection, condition, total) VALUES (\(collection), \(text), \(total)) \
            RETURNING id
            """,
            logger: logger
        ).collect()
        let id = try inserted.first?.decode(Int64.self) ?? 0
        let generation = try await advanceGeneration(on: connection, logger: logger)
        totals.keep(.init(id: id, collection: collection, condition: condition))
        totals.advance(to: generation)
    }

    /// Drops every kept total: for the writes that change what many conditions match at once (a schema's
    /// search fields, a user's removal). The caller holds the change log's lock.
    static func dropAll(_ totals: KeptTotals<KeptCondition>, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query("DELETE FROM kept_totals", logger: logger)
        totals.forgetAll(generation: try await advanceGeneration(on: connection, logger: logger))
    }

    private static func advanceGeneration(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            "UPDATE kept_totals_state SET generation = generation + 1 RETURNING generation",
            logger: logger
        ).collect()
        return try rows.first?.decode(Int64.self) ?? 0
    }
}

/// The adjustment of the kept totals around the writes of one transaction: ``init(_:totals:on:logger:)``
/// counts, before the writes, how many of the entities to be written match each kept condition of their
/// collection; ``apply(on:logger:)`` counts again after them and adds the differences to the totals.
///
/// Each count is one statement per written collection with one `count(*) FILTER` per kept total, over
/// the written ids only (primary-key lookups), so a write costs a small fixed amount per kept total of
/// its collection, and nothing when none is kept. The caller holds the change log's lock and has
/// synchronized the totals (``KeptTotalStatements/synchronize(_:to:on:logger:)``).
struct KeptTotalsAdjustment {
    private struct Part {
        let entries: [KeptTotals<KeptCondition>.Entry]
        let statement: SQLFragment
        let before: [Int64]
    }

    private let parts: [Part]

    /// - Parameter ids: the ids to be written, per collection storage key (``Swift/Array/writtenIDs``).
    init(
        _ ids: [String: [String]],
        totals: KeptTotals<KeptCondition>,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var parts: [Part] = []
        for (collection, written) in ids {
            let entries = totals.entries(in: collection)
            guard !entries.isEmpty else { continue }
            let statement = Self.matches(of: entries, among: written, in: collection)
            let before = try await Self.count(statement, on: connection, logger: logger)
            parts.append(Part(entries: entries, statement: statement, before: before))
        }
        self.parts = parts
    }

    /// Counts again and adds the differences to the totals.
    func apply(on connection: PostgresConnection, logger: Logger) async throws {
        var ids: [Int64] = []
        var deltas: [Int64] = []
        for part in parts {
            let after = try await Self.count(part.statement, on: connection, logger: logger)
            for (index, entry) in part.entries.enumerated() where after[index] != part.before[index] {
                ids.append(entry.id)
                deltas.append(after[index] - part.before[index])
            }
        }
        guard !ids.isEmpty else { return }
        try await connection.query(
            """
            UPDATE kept_totals SET total = total + d.delta FROM unnest(\(ids)::bigint[], \(deltas)::bigint[]) \
            AS d(id, delta) WHERE kept_totals.id = d.id
            """,
            logger: logger
        )
    }

    private static func matches(
        of entries: [KeptTotals<KeptCondition>.Entry],
        among ids: [String],
        in collection: String
    ) -> SQLFragment {
        var statement = SQLFragment("SELECT ")
        for (index, entry) in entries.enumerated() {
            if index > 0 { statement += SQLFragment(", ") }
            var condition = SQLFragment()
            condition.pieces = entry.condition
            statement += SQLFragment("count(*) FILTER (WHERE ") + condition + SQLFragment(")")
        }
        return statement + SQLFragment(" FROM entities WHERE collection = ") + .bind(.text(collection))
            + SQLFragment(" AND id = ANY(") + .bind(.textArray(ids)) + SQLFragment(")")
    }

    private static func count(_ statement: SQLFragment, on connection: PostgresConnection, logger: Logger)
        async throws -> [Int64]
    {
        let rows = try await connection.query(statement.query, logger: logger).collect()
        guard let row = rows.first else { return [] }
        var counts: [Int64] = []
        for cell in row { counts.append(try cell.decode(Int64.self)) }
        return counts
    }
}
