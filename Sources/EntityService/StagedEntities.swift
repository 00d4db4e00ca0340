import EntityModel
import EntityStore

/// Entities written by earlier steps of a changeset (or earlier items of a batch) that are not
/// stored yet: planning sees them in place of what the store holds.
struct StagedEntities: Sendable {
    enum State: Sendable {
        case written(Entity)
        case deleted
    }

    private var states: [CollectionPath: [String: State]] = [:]

    /// What the staged writes left of entity `id`: `nil` when none of them touched it.
    subscript(id: String, in collection: CollectionPath) -> State? {
        states[collection]?[id]
    }

    /// Stages the outcome of `write`.
    mutating func record(_ write: EntityWrite) {
        switch write {
        case .insert(let entity), .update(let entity, _):
            states[entity.collection, default: [:]][entity.id] = .written(entity)
        case .delete(let id, let collection, _):
            states[collection, default: [:]][id] = .deleted
        }
    }

    /// The entities of `collection` as written by the staged writes, in id order.
    func written(in collection: CollectionPath) -> [Entity] {
        (states[collection] ?? [:]).sorted { $0.key < $1.key }.compactMap { _, state in
            if case .written(let entity) = state { return entity }
            return nil
        }
    }

    /// The ids of `collection` that the staged writes touched.
    func touchedIDs(in collection: CollectionPath) -> Set<String> {
        Set((states[collection] ?? [:]).keys)
    }
}
