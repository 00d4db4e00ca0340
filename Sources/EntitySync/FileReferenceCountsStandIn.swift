// TEMPORARY: stands in for `EntityStore.fileReferenceCounts(_:)`, which is being added to both stores
// (maintained in the write transaction). Delete this file when that lands.

import EntityModel
import EntityQuery
import EntityStore
import SQLiteEntityStore

extension SQLiteEntityStore {
    /// How many entities refer to each of `digests` (`{"$file": …}` anywhere in their values);
    /// digests no entity refers to are absent.
    ///
    /// Stand-in: scans every entity of every collection the store's change log names (a replica's
    /// store is small), where the real method reads counts kept by each write.
    func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int] {
        let wanted = Set(digests)
        guard !wanted.isEmpty else { return [:] }
        var collections: Set<CollectionPath> = []
        var after: Int64 = 0
        while true {
            let page = try await changes(after: after, limit: 1000)
            for change in page { collections.insert(change.collection) }
            guard let last = page.last else { break }
            after = last.sequence
        }
        var counts: [String: Int] = [:]
        for collection in collections {
            var offset = 0
            while true {
                let query = Query(limit: 1000, offset: offset, countsTotal: false)
                let entities = try await self.query(query, in: collection).entities
                for entity in entities {
                    for digest in Self.standInDigests(in: .object(entity.values)).intersection(wanted) {
                        counts[digest, default: 0] += 1
                    }
                }
                guard entities.count == 1000 else { break }
                offset += entities.count
            }
        }
        return counts
    }

    private static func standInDigests(in value: JSON) -> Set<String> {
        switch value {
        case .object(let members):
            var found: Set<String> = members["$file"]?.stringValue.map { [$0] } ?? []
            for member in members.values { found.formUnion(standInDigests(in: member)) }
            return found
        case .array(let elements):
            return elements.reduce(into: []) { found, element in found.formUnion(standInDigests(in: element)) }
        default:
            return []
        }
    }
}
