import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    static let equalityIsTypedAndNumeric = ConformanceCheck("equalityIsTypedAndNumeric") { makeStore in
        let store = try await mixedStore(makeStore)
        try await expectIDs(store, .compare("v", .eq, lit("10")), ["a", "b"])
        try await expectIDs(store, .compare("v", .eq, quoted("10")), ["c"])
        try await expectIDs(store, .compare("v", .eq, lit("1")), ["d"])
        try await expectIDs(store, .compare("v", .eq, lit("0")), ["h"])
        try await expectIDs(store, .compare("v", .eq, lit("true")), ["e"])
        try await expectIDs(store, .compare("flag", .eq, lit("true")), ["a"])
        try await expectIDs(store, .compare("flag", .eq, lit("false")), ["b"])
        try await expectIDs(store, .compare("s", .eq, quoted(#"["x"]"#)), ["d"])
        try await expectIDs(store, .compare("s", .eq, lit("Apple")), ["b"])
        try await expectIDs(store, .compare("tags", .eq, .json(["x"])), [])
        try await expectIDs(store, .compare("o", .eq, .json(["k": 1])), [])
        try await expectIDs(store, .compare("n", .eq, .json(.null)), [])
        try await expectIDs(store, .compare("v", .eq, .json(json("1e1"))), ["a", "b"])
        try await expectIDs(store, .compare("v", .eq, .json(json("-2.50"))), ["f"])
    }

    static let negationsAreTrueForMissingFields = ConformanceCheck("negationsAreTrueForMissingFields") { makeStore in
        let store = try await mixedStore(makeStore)
        try await expectIDs(store, .compare("v", .ne, lit("10")), ["c", "d", "e", "f", "g", "h"])
        try await expectIDs(store, .not(.compare("flag", .eq, lit("true"))), ["b", "c", "d", "e", "f", "g", "h"])
        try await expectIDs(
            store,
            .membership("flag", [lit("true"), lit("false")], negated: true),
            ["c", "d", "e", "f", "g", "h"]
        )
        try await expectIDs(store, .not(.compare("v", .gt, lit("0"))), ["c", "e", "f", "g", "h"])
        try await expectIDs(
            store,
            .not(.and([.compare("v", .ge, lit("1")), .compare("flag", .eq, lit("true"))])),
            ["b", "c", "d", "e", "f", "g", "h"]
        )
        try await expectIDs(store, .not(.or([.isNull("o", negated: false), .compare("s", .lt, lit("a"))])), ["a"])
        try await expectIDs(store, .compare("n", .ne, lit("1")), ["a", "b", "c", "d", "e", "f", "g", "h"])
    }

    static let orderingComparesOnlyLikeTypes = ConformanceCheck("orderingComparesOnlyLikeTypes") { makeStore in
        let store = try await mixedStore(makeStore)
        try await expectIDs(store, .compare("v", .gt, lit("0")), ["a", "b", "d"])
        try await expectIDs(store, .compare("v", .le, lit("1")), ["d", "f", "h"])
        try await expectIDs(store, .compare("v", .lt, quoted("2")), ["c"])
        try await expectIDs(store, .compare("flag", .gt, lit("false")), ["a"])
        try await expectIDs(store, .compare("flag", .ge, lit("false")), ["a", "b"])
        // "A", "[" and "1" sort before "a" by their bytes.
        try await expectIDs(store, .compare("s", .lt, lit("a")), ["b", "d", "e"])
        // By UTF-8 bytes, "É" and "é" sort after "z".
        try await expectIDs(store, .compare("s", .gt, lit("z")), ["f", "g", "h"])
        try await expectIDs(store, .compare("tags", .gt, lit("0")), [])
        try await expectIDs(store, .compare("o", .ge, .json([:])), [])
        try await expectIDs(store, .compare("n", .le, lit("0")), [])
    }

    static let patternsTreatEverythingButStarLiterally = ConformanceCheck("patternsTreatEverythingButStarLiterally") {
        makeStore in
        let store = try await mixedStore(makeStore)
        try await expectIDs(store, .pattern("s", "100% a_b?c*d", caseInsensitive: false), ["e"])
        try await expectIDs(store, .pattern("s", "100% a_b?c**", caseInsensitive: false), ["e"])
        try await expectIDs(store, .pattern("s", "1%", caseInsensitive: false), [])
        try await expectIDs(store, .pattern("s", "?00*", caseInsensitive: false), [])
        try await expectIDs(store, .pattern("s", "[[]*", caseInsensitive: false), [])
        try await expectIDs(store, .pattern("s", "[*", caseInsensitive: false), ["d"])
        try await expectIDs(store, .pattern("s", "a*", caseInsensitive: false), ["a"])
        try await expectIDs(store, .pattern("s", "a*", caseInsensitive: true), ["a", "b"])
        try await expectIDs(store, .pattern("s", "APPLE", caseInsensitive: true), ["a", "b"])
        try await expectIDs(store, .pattern("s", "éCL*", caseInsensitive: true), ["f", "g", "h"])
        try await expectIDs(store, .pattern("s", "É*", caseInsensitive: false), ["f", "h"])
        try await expectIDs(store, .pattern("s", "*a_b*", caseInsensitive: false), ["e"])
        try await expectIDs(store, .pattern("s", "*A_B*", caseInsensitive: true), ["e"])
        // Numbers are not strings.
        try await expectIDs(store, .pattern("v", "1*", caseInsensitive: false), ["c"])
        try await expectIDs(store, .pattern("id", "?", caseInsensitive: false), [])
        try await expectIDs(store, .pattern("id", "*", caseInsensitive: false), mixedDocuments.map(\.0))
    }

    static let nullAndEmptyFollowTheirDefinitions = ConformanceCheck("nullAndEmptyFollowTheirDefinitions") {
        makeStore in
        let store = try await mixedStore(makeStore)
        let all = mixedDocuments.map(\.0)
        try await expectIDs(store, .isNull("n", negated: false), all)
        try await expectIDs(store, .isNull("n", negated: true), [])
        try await expectIDs(store, .isNull("o", negated: true), ["a", "b", "d"])
        try await expectIDs(store, .compare("e", .eq, .empty), ["a"])
        try await expectIDs(store, .compare("e", .ne, .empty), ["b", "c", "d", "e", "f", "g", "h"])
        try await expectIDs(store, .compare("tags", .eq, .empty), [])
        try await expectIDs(store, .compare("n", .ne, .empty), all)
        try await expectIDs(store, .compare("s", .eq, .empty), [])
        try await expectIDs(store, .isNull("o.k", negated: true), ["a", "d"])
        try await expectIDs(store, .compare("o.k", .eq, lit("2")), ["d"])
        try await expectIDs(store, .compare("s.x", .eq, lit("2")), [])
        try await expectIDs(store, .isNull("s.x", negated: false), all)
    }

    static let membershipAndLogicCombine = ConformanceCheck("membershipAndLogicCombine") { makeStore in
        let store = try await mixedStore(makeStore)
        let all = mixedDocuments.map(\.0)
        try await expectIDs(
            store,
            .membership("v", [lit("10"), lit("true"), lit("1"), quoted("10")], negated: false),
            ["a", "b", "c", "d", "e"]
        )
        try await expectIDs(store, .membership("v", [], negated: false), [])
        try await expectIDs(store, .membership("v", [], negated: true), all)
        try await expectIDs(store, .membership("n", [.json(.null)], negated: false), [])
        try await expectIDs(store, .and([]), all)
        try await expectIDs(store, .or([]), [])
        try await expectIDs(store, .not(.or([])), all)
        try await expectIDs(store, .not(.and([])), [])
        try await expectIDs(store, .or([.compare("s", .eq, lit("apple")), .compare("v", .eq, lit("0"))]), ["a", "h"])
        try await expectIDs(
            store,
            .and([
                .or([.compare("v", .eq, lit("10")), .compare("v", .eq, lit("0"))]), .not(.isNull("o", negated: false)),
            ]),
            ["a", "b"]
        )
    }

    static let metadataPathsFilterAndSort = ConformanceCheck("metadataPathsFilterAndSort") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([
            entity("A", [:], version: 1, createdMs: 0, createdBy: "ann"),
            entity("B", [:], version: 3, createdMs: 5_000),
            entity("C", [:], version: 2, createdMs: 10_000, createdBy: "bob"),
        ])
        try await expectIDs(store, .compare("id", .eq, lit("B")), ["B"])
        try await expectIDs(store, .compare("id", .gt, lit("A")), ["B", "C"])
        try await expectIDs(store, .membership("id", [lit("A"), lit("C"), lit("Z")], negated: false), ["A", "C"])
        try await expectIDs(store, .compare("_meta.version", .ge, lit("2")), ["B", "C"])
        try await expectIDs(store, .compare("_meta.version", .eq, quoted("2")), [])
        let cut = Timestamp.format(Date(timeIntervalSince1970: 1_700_000_004))
        try await expectIDs(store, .compare("_meta.created", .gt, quoted(cut)), ["B", "C"])
        try await expectIDs(store, .compare("_meta.updated", .le, quoted(cut)), ["A"])
        try await expectIDs(store, .isNull("_meta.createdBy", negated: false), ["B"])
        try await expectIDs(store, .compare("_meta.createdBy", .ne, lit("ann")), ["B", "C"])
        try await expectIDs(store, .pattern("_meta.createdBy", "B*", caseInsensitive: true), ["C"])
        try await expectIDs(store, .isNull("_meta", negated: false), [])
        try await expectIDs(store, .isNull("_meta.nothing", negated: false), ["A", "B", "C"])
        try await expectIDs(store, Query(sort: [SortKey("_meta.created", descending: true)]), ["C", "B", "A"])
        try await expectIDs(store, Query(sort: [SortKey("_meta.version")]), ["A", "C", "B"])
        try await expectIDs(
            store,
            Query(sort: [SortKey("_meta.createdBy"), SortKey("id", descending: true)]),
            ["B", "A", "C"]
        )
    }

    static let unusualKeysAreQueriedSafely = ConformanceCheck("unusualKeysAreQueriedSafely") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("A", object(#"{"a.b":1,"it's":"x","sp ace":{"é":2},"x\"y":3}"#))])
        try await expectIDs(store, .compare(FieldPath(["a.b"]), .eq, lit("1")), ["A"])
        try await expectIDs(store, .compare(FieldPath(["it's"]), .eq, lit("x")), ["A"])
        try await expectIDs(store, .compare(FieldPath(["sp ace", "é"]), .eq, lit("2")), ["A"])
        try await expectIDs(store, .compare(FieldPath(["a"]), .eq, lit("1")), [])
        try await expectIDs(store, .compare(FieldPath(["a", "b"]), .eq, lit("1")), [])
        // A key the backend cannot express fails as an invalid query, or is answered correctly.
        let quote = Filter.compare(FieldPath([#"x"y"#]), .eq, lit("3"))
        do {
            try expectEqual(try await store.ids(quote), ["A"], "ids matching \(quote)")
        } catch let error as StoreError {
            try expectEqual(error.code, .invalidQuery, "error of a filter on the key x\"y")
        }
    }
}
