import EntityModel
import EntityStore
import Foundation

/// The change-log and sync-feed rows of one ``WriteRun``, written by one statement under the change
/// log's lock, after the run's entity statement.
///
/// The statement numbers its rows itself, from the newest sequence of the log (`max(sequence)`: the
/// lock holds other writers off, and earlier statements of the transaction are visible to it), so it
/// can be built, and its values encoded, before the transaction takes the lock. Its one row is the
/// first sequence it used.
///
/// Feed rows (see ``FeedReader``):
/// - Inserts write the `*` row and the creator's (replacing the rows a deleted entity of the same id
///   left, which are deletions by then).
/// - Updates move every reader's upsert row to the new sequence (`moved`), then write the `*` and
///   creator rows the move did not find. A part of a statement cannot see the rows another part
///   changed, so `added` skips the (entity, reader) pairs `moved` returned, and its conflicts are
///   rows `moved` did not touch (deletions and revocations).
/// - Deletes turn every reader's upsert row into a deletion; the row keeps the version it had.
struct RunLog {
    /// A kind of change-log row, with what its feed rows need.
    enum Kind {
        /// New entities: the `*` and creator rows.
        case insert(readers: [(id: String, reader: String)])
        /// Updated entities: each reader's row moves; the `*` and creator rows are written if missing.
        case update(readers: [(id: String, reader: String)])
        /// Deleted entities: each reader's row becomes a deletion.
        case delete
    }

    /// The statement.
    let fragment: SQLFragment

    /// The rows of `ids` (in batch order) at `versions`, logged at `times` (text timestamps) in
    /// `collection`.
    init(_ kind: Kind, in collection: CollectionPath, ids: [String], versions: [Int64], times: [String]) {
        let key = SQLFragment.bind(.text(collection.storageKey))
        let op: String
        switch kind {
        case .insert, .update: op = "upsert"
        case .delete: op = "delete"
        }
        var fragment =
            SQLFragment(
                "WITH base AS (SELECT COALESCE(max(sequence), 0) AS last FROM changes), input AS"
                    + " (SELECT input.collection, input.id, input.version, input.at, base.last + input.position AS"
                    + " sequence FROM unnest("
            )
            + SQLFragment.joined(
                [
                    .bind(.textArray(KeyedLookup.repeated(collection.storageKey, count: ids.count)), "::text[]"),
                    .bind(.textArray(ids), "::text[]"),
                    .bind(.integerArray(versions), "::bigint[]"),
                    .bind(.textArray(times), "::text[]"),
                ],
                separator: ", "
            )
            + SQLFragment(
                ") WITH ORDINALITY AS input(collection, id, version, at, position) CROSS JOIN base)"
                    + ", logged AS (INSERT INTO changes (sequence, kind, collection, id, version, at)"
                    + " SELECT input.sequence, '\(op)', input.collection, input.id, input.version, input.at"
                    + " FROM input)"
            )
        switch kind {
        case .insert(let readers):
            fragment += Self.added(readers, key: key, unless: nil)
        case .update(let readers):
            fragment += SQLFragment(
                ", moved AS (UPDATE sync_feed SET sequence = found.sequence, version = found.version"
                    + " FROM (SELECT target.row, input.sequence, input.version FROM input"
                    + Self.upsertRows + ") AS found WHERE sync_feed.ctid = found.row"
                    + " RETURNING sync_feed.entity_id, sync_feed.reader)"
            )
            fragment += Self.added(readers, key: key, unless: "moved")
        case .delete:
            fragment += SQLFragment(
                ", gone AS (UPDATE sync_feed SET sequence = found.sequence, op = 'delete'"
                    + " FROM (SELECT target.row, input.sequence FROM input" + Self.upsertRows
                    + ") AS found WHERE sync_feed.ctid = found.row)"
            )
        }
        self.fragment = fragment + SQLFragment(" SELECT base.last + 1 FROM base")
    }

    /// The upsert rows of the entity of each `input` row, probed (``KeyedLookup``).
    private static let upsertRows = KeyedLookup.probe(
        "sync_feed",
        where: "collection = input.collection AND entity_id = input.id AND op = 'upsert'",
        as: "target"
    )

    /// `added AS (INSERT …)`: an upsert row for each (entity, reader) of `readers`, except those the
    /// part `moved` returned; an existing row (a deletion or revocation) is replaced.
    private static func added(_ readers: [(id: String, reader: String)], key: SQLFragment, unless moved: String?)
        -> SQLFragment
    {
        var fragment =
            SQLFragment(
                ", added AS (INSERT INTO sync_feed (reader, collection, entity_id, sequence, op, version)"
                    + " SELECT readers.reader, "
            ) + key
            + SQLFragment(", input.id, input.sequence, 'upsert', input.version FROM unnest(")
            + .bind(.textArray(readers.map(\.id)), "::text[]") + SQLFragment(", ")
            + .bind(.textArray(readers.map(\.reader)), "::text[]")
            + SQLFragment(") AS readers(id, reader) JOIN input ON input.id = readers.id")
        if let moved {
            fragment += SQLFragment(
                " WHERE NOT EXISTS (SELECT 1 FROM \(moved) WHERE \(moved).entity_id = readers.id"
                    + " AND \(moved).reader = readers.reader)"
            )
        }
        return fragment
            + SQLFragment(
                " ON CONFLICT (collection, entity_id, reader) DO UPDATE"
                    + " SET sequence = excluded.sequence, op = 'upsert', version = excluded.version)"
            )
    }

    /// The `*` and creator readers of `entities` of `collection`, one pair per row the feed must hold.
    static func readers(of entities: [Entity], in collection: CollectionPath) -> [(id: String, reader: String)] {
        let everyone = FeedReader.everyone(schemaKey: collection.schemaKey).storageKey
        var pairs: [(id: String, reader: String)] = []
        pairs.reserveCapacity(entities.count * 2)
        for entity in entities {
            pairs.append((entity.id, everyone))
            if let creator = entity.createdBy { pairs.append((entity.id, FeedReader.user(creator).storageKey)) }
        }
        return pairs
    }
}
