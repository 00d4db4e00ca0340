import EntityModel

extension Array where Element == EntityWrite {
    /// The ids the writes touch in each collection (by storage key), each once, in order of first write.
    package var writtenIDs: [String: [String]] {
        var ids: [String: [String]] = [:]
        var seen: Set<[String]> = []
        for write in self {
            let (collection, id): (CollectionPath, String)
            switch write {
            case .insert(let entity), .update(let entity, _): (collection, id) = (entity.collection, entity.id)
            case .delete(let entityID, let path, _): (collection, id) = (path, entityID)
            }
            if seen.insert([collection.storageKey, id]).inserted { ids[collection.storageKey, default: []].append(id) }
        }
        return ids
    }
}
