import EntityModel
import EntityStore

/// The merge of one pushed mutation with what the server holds: which values to write, and which
/// parts of the edit become conflicts. Pure: no store, no rights (the caller checks those first).
///
/// - A current base version applies the edit as it is.
/// - Otherwise, per top-level key the client set or removed: applied where the stored value still
///   equals the client's base (or already equals the new value); a key both sides changed to
///   different values keeps the **stored** value (first to reach the server wins; no client clock is
///   trusted) and becomes a conflict. Keys the client did not touch keep the stored value.
/// - A create of an existing id is an update whose base is empty.
/// - An update of a missing entity, and a delete of one changed since its base, are conflicts about
///   the whole entity; nothing is written.
struct SyncMerge: Equatable {
    enum Write: Equatable {
        /// Nothing to write.
        case none
        /// Create the entity with these values.
        case create([String: JSON])
        /// Store these values over the current entity.
        case replace([String: JSON])
        /// Delete the entity.
        case delete
    }

    /// A conflict before it is given an id, a pusher and a time.
    struct Conflict: Equatable {
        var key: String?
        var reason: SyncConflict.Reason
        var base: JSON?
        var server: JSON?
        var client: JSON?
    }

    var write: Write
    var status: SyncPushResult.Status
    var conflicts: [Conflict] = []

    /// Merges `mutation` with `current`, the entity as stored (or staged by an earlier mutation of
    /// the push); `nil` when it does not exist.
    init(_ mutation: SyncMutation, current: Entity?) {
        switch (mutation.operation, current) {
        case (.create, nil):
            self.init(write: .create(mutation.set), status: .applied)
        case (.create, let current?):
            self.init(merging: mutation, into: current, base: [:], isCurrent: false)
        case (.update, nil):
            let client = JSON.object(mutation.set)
            self.init(
                write: .none,
                status: .conflict,
                conflicts: [Conflict(key: nil, reason: .deleted, base: nil, server: nil, client: client)]
            )
        case (.update, let current?):
            self.init(
                merging: mutation,
                into: current,
                base: mutation.base,
                isCurrent: mutation.baseVersion == current.version
            )
        case (.delete, nil):
            self.init(write: .none, status: .applied)
        case (.delete, let current?):
            if mutation.baseVersion == current.version {
                self.init(write: .delete, status: .applied)
            } else {
                let server = JSON.object(current.values)
                self.init(
                    write: .none,
                    status: .conflict,
                    conflicts: [Conflict(key: nil, reason: .deleteChanged, base: nil, server: server, client: nil)]
                )
            }
        }
    }

    init(write: Write, status: SyncPushResult.Status, conflicts: [Conflict] = []) {
        self.write = write
        self.status = status
        self.conflicts = conflicts
    }

    private init(merging mutation: SyncMutation, into current: Entity, base: [String: JSON], isCurrent: Bool) {
        var values = current.values
        var conflicts: [Conflict] = []
        let edits = mutation.set.map { ($0.key, Optional($0.value)) } + mutation.unset.map { ($0, JSON?.none) }
        for (key, new) in edits.sorted(by: { $0.0 < $1.0 }) {
            let stored = current.values[key]
            if isCurrent || stored == new || stored == base[key] {
                values[key] = new
            } else {
                conflicts.append(Conflict(key: key, reason: .changed, base: base[key], server: stored, client: new))
            }
        }
        let status: SyncPushResult.Status = !conflicts.isEmpty ? .conflict : isCurrent ? .applied : .merged
        self.init(write: values == current.values ? .none : .replace(values), status: status, conflicts: conflicts)
    }
}
