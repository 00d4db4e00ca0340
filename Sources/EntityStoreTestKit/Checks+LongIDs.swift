import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// Ids of 1,024 bytes of UTF-8 holding `:`, `/`, `%`, `?`, `#` and non-ASCII letters (the IRI ids of
    /// NGSI-LD) are stored, read alone and many at once, filtered on, updated and deleted like any other.
    static let longIRIIDsWorkLikeAnyOther = ConformanceCheck("longIRIIDsWorkLikeAnyOther") { makeStore in
        let store = try await freshStore(makeStore)
        let prefix = "https://example.org/a%20b?x#"
        let long = prefix + String(repeating: "é", count: 300) + String(repeating: "x", count: 396)
        try expectEqual(long.utf8.count, 1024, "the id's length in bytes")
        let twin = String(long.dropLast()) + "y"
        try await store.insert([entity(long, ["n": 1]), entity(twin, ["n": 2])])
        try expectEqual(try await store.get(long, in: products)?.values, ["n": 1], "the long id read alone")
        let both = try await store.get([long, twin, "urn:missing"], in: products)
        try expectEqual(both.keys.sorted(), [long, twin].sorted(), "the long ids read at once")
        let filter = Filter.compare(FieldPath(["id"]), .eq, .json(.string(long)))
        let page = try await store.query(Query(filter: filter), in: products)
        try expectEqual(page.entities.map(\.id), [long], "a filter on the long id")
        try await store.apply([.update(entity(long, ["n": 3], version: 2), expectedVersion: 1)])
        try expectEqual(try await store.get(long, in: products)?.version, 2, "the long id's version after an update")
        try await store.apply([.delete(id: long, collection: products, expectedVersion: 2)])
        try expectEqual(try await store.get([long, twin], in: products).keys.sorted(), [twin], "after the delete")
    }

    /// Thousands of ids are read at once, exactly: what a batch of 10,000 updates reads before planning.
    static let thousandsOfIDsAreReadAtOnce = ConformanceCheck("thousandsOfIDsAreReadAtOnce") { makeStore in
        let store = try await freshStore(makeStore)
        let ids = (0..<6_000).map { "urn:ngsi-ld:T:\($0)" }
        try await store.insert(ids.enumerated().compactMap { $0.offset % 3 == 0 ? nil : entity($0.element, [:]) })
        let found = try await store.get(ids + ["urn:ngsi-ld:T:1"], in: products)
        try expectEqual(found.count, 4_000, "how many of the 6,000 ids exist")
        try expect(found.allSatisfy { $0.key == $0.value.id }, "every entity is found under its own id")
        try expect(found["urn:ngsi-ld:T:0"] == nil && found["urn:ngsi-ld:T:5999"] != nil, "which ids exist")
    }
}
