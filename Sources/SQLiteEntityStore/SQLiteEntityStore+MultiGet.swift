import EntityModel
import EntityStore
import GRDB

extension SQLiteEntityStore {
    /// The entities of `collection` among `ids` that exist, by id: the cached ones from the cache,
    /// the others in one read (one statement per 5,000 ids, the list bound as one JSON array).
    public func get(_ ids: [String], in collection: CollectionPath) async throws(StoreError) -> [String: Entity] {
        let storageKey = collection.storageKey
        var found: [String: Entity] = [:]
        var missing: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(id).inserted {
            if let cached = cache.entity(EntityCache.Key(collection: storageKey, id: id)) {
                found[id] = cached
            } else {
                missing.append(id)
            }
        }
        guard !missing.isEmpty else { return found }
        let generation = cache.currentGeneration
        let wanted = missing
        let depth = configuration.maximumJSONDepth
        let rows = try await read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(EntityRow.columns) FROM entities WHERE collection = ?"
                    + " AND id IN (SELECT value FROM json_each(?))"
            )
            var read: [(entity: Entity, size: Int)] = []
            read.reserveCapacity(wanted.count)
            for start in stride(from: 0, to: wanted.count, by: 5_000) {
                let chunk = wanted[start..<min(start + 5_000, wanted.count)]
                let list = JSON.array(chunk.map(JSON.string)).serialized()
                for row in try Row.fetchAll(statement, arguments: [storageKey, list]) {
                    let entity = try EntityRow.entity(row, in: collection, maximumJSONDepth: depth)
                    read.append((entity, EntityRow.storedSize(row)))
                }
            }
            return read
        }
        for (entity, size) in rows {
            cache.remember(entity, size: size, generation: generation)
            found[entity.id] = entity
        }
        return found
    }
}
