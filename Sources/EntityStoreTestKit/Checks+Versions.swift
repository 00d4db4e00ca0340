import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    static let updateAndDeleteCompareVersions = ConformanceCheck("updateAndDeleteCompareVersions") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("A", ["n": 1])])
        try await store.apply([.update(entity("A", ["n": 2], version: 2), expectedVersion: 1)])
        try expectEqual(try await store.get("A", in: products)?.values["n"], 2, "n after the update")
        try await expectStoreError(.versionConflict, index: 0, "update of version 2 expecting 1") {
            try await store.apply([.update(entity("A", ["n": 3], version: 2), expectedVersion: 1)])
        }
        try await expectStoreError(.versionConflict, index: 0, "update of version 2 expecting 3") {
            try await store.apply([.update(entity("A", ["n": 3], version: 4), expectedVersion: 3)])
        }
        try await expectStoreError(.notFound, index: 0, "update of a missing entity") {
            try await store.apply([.update(entity("Z", ["n": 3], version: 2), expectedVersion: 1)])
        }
        try await expectStoreError(.versionConflict, index: 0, "delete of version 2 expecting 1") {
            try await store.apply([.delete(id: "A", collection: products, expectedVersion: 1)])
        }
        try expectEqual(try await store.get("A", in: products)?.values["n"], 2, "n after the failed writes")
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: 2)])
        try expectEqual(try await store.get("A", in: products), nil, "A after its delete")
        try await expectStoreError(.notFound, index: 0, "delete of a deleted entity, any version") {
            try await store.apply([.delete(id: "A", collection: products, expectedVersion: nil)])
        }
        try await expectStoreError(.notFound, index: 0, "delete of a deleted entity, version 2") {
            try await store.apply([.delete(id: "A", collection: products, expectedVersion: 2)])
        }
        try await expectStoreError(.notFound, index: 0, "update of a deleted entity") {
            try await store.apply([.update(entity("A", ["n": 3], version: 3), expectedVersion: 2)])
        }
        // A deleted id can be inserted again.
        let again = entity("A", ["n": 9])
        try await store.insert([again])
        try await expectStored(again, in: store)
    }

    static let deleteWithoutVersionDeletesAnyVersion = ConformanceCheck("deleteWithoutVersionDeletesAnyVersion") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("A", ["n": 1]), entity("B", ["n": 1])])
        try await store.apply([
            .update(entity("A", ["n": 2], version: 2), expectedVersion: 1),
            .update(entity("A", ["n": 3], version: 3), expectedVersion: 2),
        ])
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: nil)])
        try expectEqual(try await store.get("A", in: products), nil, "A after a delete without version")
        try await expectIDs(store, Query(), ["B"])
        let last = try await store.changes(after: 0, limit: 100).last
        try expectEqual(last?.kind, .delete, "kind of the last change")
        try expectEqual(last?.version, 3, "the version a deleted entity had, in the change log")
    }

    static let readsByIDNeverServeAStaleEntity = ConformanceCheck("readsByIDNeverServeAStaleEntity") { makeStore in
        let store = try await freshStore(makeStore)
        let original = entity("P1", ["status": "open"])
        try await store.insert([original])
        try expectEqual(try await store.get("P1", in: products)?.version, 1, "version after the insert")
        var changed = original
        changed.values["status"] = "closed"
        changed.version = 2
        try await store.apply([.update(changed, expectedVersion: 1)])
        try await expectStored(changed, in: store)
        try await expectStoreError(.versionConflict, "a stale update") {
            try await store.apply([.update(changed, expectedVersion: 1)])
        }
        try expectEqual(try await store.get("P1", in: products)?.version, 2, "version after a failed update")
        try await store.apply([.delete(id: "P1", collection: products, expectedVersion: 2)])
        try expectEqual(try await store.get("P1", in: products), nil, "get after the delete")
        try await expectIDs(store, Query(), [])
    }
}
