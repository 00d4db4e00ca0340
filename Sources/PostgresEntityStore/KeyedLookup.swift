/// Rows found by their keys, a batch at a time, planned as one index probe per key whatever the
/// table's statistics say.
///
/// A join of 1,000 keys with a table (`WHERE collection = $1 AND id = ANY($2)`, or `UPDATE … FROM
/// unnest(…)`) leaves the plan to the planner's estimates, and they fail exactly when a batch write is
/// busiest: a collection that grew since the last `ANALYZE` (autovacuum looks again only after a tenth
/// of the table changed) is estimated at a few hundred rows, and a table of a few hundred thousand rows,
/// costed as if read from disk, looks cheaper to scan whole than to probe 1,000 times. Measured on
/// 200,000 entities: 70–650 ms per 1,000 keys scanned, hashed or sorted, against 3–15 ms probed.
///
/// So batch statements
/// - find their rows with ``probe(_:where:as:)``: a `LATERAL` subquery per key, fenced with
///   `OFFSET 0` so the planner cannot turn it back into a join, which the primary key answers;
/// - update or delete the rows found by their `ctid` (a TID scan). Every batch write holds the change
///   log's lock, so no other writer moves a row in between; and if one did, the `ctid` of its newer
///   version would not match, and the row would count as not written rather than be overwritten.
enum KeyedLookup {
    /// `CROSS JOIN LATERAL (SELECT columns FROM table WHERE condition OFFSET 0) AS alias`: the rows of
    /// `table` that `condition` (over the joined row) picks by its primary key, one probe per joined
    /// row; by default only their `ctid`, as `row`.
    static func probe(
        _ table: String,
        selecting columns: String = "ctid AS row",
        where condition: String,
        as alias: String
    ) -> String {
        " CROSS JOIN LATERAL (SELECT \(columns) FROM \(table) WHERE \(condition) OFFSET 0) AS \(alias)"
    }

    /// `value` once per key, for the column of the key that all keys share (the collection, the user):
    /// unnested beside the other columns, so that a probe's condition names the joined row alone.
    static func repeated(_ value: String, count: Int) -> [String] {
        Array(repeating: value, count: count)
    }
}
