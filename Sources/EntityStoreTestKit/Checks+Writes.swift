import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    static let insertedEntityReadsBackExactly = ConformanceCheck("insertedEntityReadsBackExactly") { makeStore in
        let store = try await freshStore(makeStore)
        let original = entity(
            "P1",
            object(#"{"name":"Lamp","price":19.99,"big":9007199254740993,"tags":["a","b"],"nested":{"x":null}}"#),
            createdBy: "ann"
        )
        // Timestamps to the millisecond, before 1970 and past 2038 too.
        var dated = entity("P2", ["n": 1])
        dated.createdAt = date(milliseconds: -1)  // 1969-12-31T23:59:59.999Z
        dated.updatedAt = date(milliseconds: 2_147_483_648_001)  // 2038-01-19T03:14:08.001Z
        let sequences = try await store.apply([.insert(original), .insert(dated)])
        try expectEqual(sequences.count, 2, "sequence numbers returned for a batch of 2 inserts")
        try await expectStored(original, in: store)
        try await expectStored(dated, in: store)
        let read = try await store.get("P1", in: products)
        try expectEqual(read?.values["price"]?.description, "19.99", "the text of the number 19.99")
        try expectEqual(read?.values["big"], .integer(9_007_199_254_740_993), "an integer above 2^53")
        try expectEqual(read?.createdBy, "ann", "createdBy")
        try expectEqual(try await store.get("P3", in: products), nil, "get of an id never written")
        try expectEqual(try await store.get("P1", in: CollectionPath("other")), nil, "get in another collection")
        try expectEqual(try await store.apply([]), [], "sequence numbers of an empty batch")
    }

    static let unicodeAndLargeValuesRoundTrip = ConformanceCheck("unicodeAndLargeValuesRoundTrip") { makeStore in
        let store = try await freshStore(makeStore)
        let large = String(repeating: "0123456789abcdef", count: 65_536)  // 1 MiB
        var deep: JSON = "bottom"
        for level in 0..<100 { deep = level.isMultiple(of: 2) ? .array([deep]) : .object(["d": deep]) }
        let values: [String: JSON] = [
            "emoji": "👩‍👩‍👧 family 🇫🇷",
            "combining": "e\u{301} vs \u{E9}",
            "control": "tab\tnewline\nnul\u{0}quote\"backslash\\",
            "rtl": "שלום عربي",
            "ключ": "значение",
            "": "empty key",
            "a.b": "dotted key",
            "large": .string(large),
            "manyItems": .array((0..<10_000).map { .integer(Int64($0)) }),
            "deep": deep,
            "numbers": json("[1e400,-0,0.1,-1.5e-7,123456789012345678901234567890,1.50,-9223372036854775808]"),
        ]
        let written = entity("Ü-ñ 🚀/\"id\"", values)
        try await store.insert([written])
        try await expectStored(written, in: store)
        let read = try await store.get(written.id, in: products)
        let numbers = read?.values["numbers"]?.arrayValue?.map(\.description) ?? []
        try expectEqual(
            numbers,
            ["1e400", "-0", "0.1", "-1.5e-7", "123456789012345678901234567890", "1.50", "-9223372036854775808"],
            "numbers keep their exact text"
        )
        try await expectIDs(store, .compare("combining", .eq, quoted("e\u{301} vs \u{E9}")), [written.id])
        try await expectIDs(store, .compare("combining", .eq, quoted("\u{E9} vs \u{E9}")), [])
        try await expectIDs(store, .compare("id", .eq, quoted(written.id)), [written.id])
    }

    static let updateReplacesValuesAndMetadata = ConformanceCheck("updateReplacesValuesAndMetadata") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("A", ["keep": 1, "drop": "x"], createdBy: "ann")])
        var changed = entity("A", ["keep": 2, "added": ["k": true]], version: 2, createdMs: 0, createdBy: "ann")
        changed.updatedAt = date(milliseconds: 1_700_000_123_456)
        try await store.apply([.update(changed, expectedVersion: 1)])
        try await expectStored(changed, in: store)
        try await expectIDs(store, .isNull("drop", negated: false), ["A"])
        try await expectIDs(store, .compare("added.k", .eq, lit("true")), ["A"])
        try await expectIDs(store, .compare("_meta.version", .eq, lit("2")), ["A"])
    }

    static let nestedAndNamespacedCollectionsAreSeparate = ConformanceCheck(
        "nestedAndNamespacedCollectionsAreSeparate"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let services = CollectionPath(namespace: "devops", segments: ["services"])
        let first = services.nested("environments", in: "SRVC-1")
        let second = services.nested("environments", in: "SRVC-2")
        let plain = CollectionPath("services")
        let written = [
            entity("SRVC-1", ["name": "api"], in: services),
            entity("E1", ["stage": "prod"], in: first),
            entity("E1", ["stage": "test"], in: second),
            entity("E2", ["stage": "prod"], in: second),
            entity("SRVC-1", ["name": "plain"], in: plain),
        ]
        try await store.insert(written)
        for item in written { try await expectStored(item, in: store) }
        try expectEqual(try await store.get("E1", in: first)?.collection, first, "collection of a nested entity")
        try expectEqual(first.parent?.id, "SRVC-1", "parent id of the nested path")
        try await expectIDs(store, Query(), ["E1"], in: first)
        try await expectIDs(store, Query(), ["E1", "E2"], in: second)
        try await expectIDs(store, .compare("stage", .eq, lit("prod")), ["E2"], in: second)
        try await expectIDs(store, Query(), ["SRVC-1"], in: services)
        try await expectIDs(store, Query(), ["SRVC-1"], in: plain)
        try expectEqual(try await store.query(Query(), in: plain).entities.first?.values["name"], "plain", "plain")
        try expectEqual(try await store.get("E2", in: first), nil, "E2 is not in SRVC-1's environments")
        let changes = try await store.changes(after: 0, limit: 10)
        try expectEqual(changes.map(\.collection), written.map(\.collection), "collections in the change log")
        try await store.apply([.delete(id: "E1", collection: second, expectedVersion: 1)])
        try await expectStored(written[1], in: store)
    }

    static let duplicateIDIsRejectedWithItsIndex = ConformanceCheck("duplicateIDIsRejectedWithItsIndex") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("A", [:])])
        try await expectStoreError(.duplicateID, index: 1, "inserting B then the existing A") {
            try await store.apply([.insert(entity("B", [:])), .insert(entity("A", ["n": 2]))])
        }
        try expectEqual(try await store.get("B", in: products), nil, "B of the failed batch")
        try await expectStoreError(.duplicateID, index: 2, "inserting C, D, C in one batch") {
            try await store.insert([entity("C", [:]), entity("D", [:]), entity("C", [:])])
        }
        try await expectIDs(store, Query(), ["A"])
        // The same id in another collection is fine.
        let other = entity("A", [:], in: CollectionPath(namespace: "ns", segments: ["products"]))
        try await store.insert([other])
        try await expectStored(other, in: store)
    }

    static let readingManyIDsReturnsExactlyTheExistingEntities = ConformanceCheck(
        "readingManyIDsReturnsExactlyTheExistingEntities"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let other = CollectionPath("others")
        try await store.apply([
            .insert(entity("A", ["n": 1])), .insert(entity("B", ["n": 2])), .insert(entity("C", [:], in: other)),
        ])
        try await store.apply([.update(entity("B", ["n": 3], version: 2), expectedVersion: 1)])
        let found = try await store.get(["A", "B", "C", "missing", "A"], in: products)
        try expectEqual(found.keys.sorted(), ["A", "B"], "ids found (C lives in another collection)")
        try expectEqual(found["A"], try await store.get("A", in: products), "A read many at once, and alone")
        try expectEqual(found["B"]?.version, 2, "B's version")
        try expectEqual(found["B"]?.values["n"], 3, "B's values")
        try expectEqual(try await store.get([], in: products), [:], "no ids")
    }
}
