import EntityModel
import EntityQuery
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

/// Documents covering every type a field can hold, including the traps of SQLite's typing.
let mixedDocuments: [(String, String)] = [
    ("a", #"{"v":10,"s":"apple","flag":true,"tags":["x"],"o":{"k":1},"n":null,"e":""}"#),
    ("b", #"{"v":10.0,"s":"Apple","flag":false,"tags":[],"o":{},"e":[]}"#),
    ("c", #"{"v":"10","s":"banana","flag":1,"e":{}}"#),
    ("d", #"{"v":1,"s":"[\"x\"]","flag":0,"o":{"k":2}}"#),
    ("e", #"{"v":true,"s":"100% a_b?c*d","flag":"true"}"#),
    ("f", #"{"v":-2.5,"s":"Éclair","tags":["x","y"]}"#),
    ("g", #"{"s":"éclair","v":[10]}"#),
    ("h", #"{"v":0,"s":"ÉCLAIR","n":null}"#),
]

func makeMixedStore(_ kind: StoreKind) async throws -> SQLiteEntityStore {
    let store = try kind.makeStore()
    try await store.apply(mixedDocuments.map { .insert(entity($0.0, object($0.1))) })
    return store
}

@Suite struct FilterTests {
    @Test(arguments: StoreKind.allCases)
    func equalityIsTypedAndNumeric(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(try await store.ids(.compare("v", .eq, lit("10"))) == ["a", "b"])
        #expect(try await store.ids(.compare("v", .eq, .literal("10", quoted: true))) == ["c"])
        #expect(try await store.ids(.compare("v", .eq, lit("1"))) == ["d"])
        #expect(try await store.ids(.compare("v", .eq, lit("0"))) == ["h"])
        #expect(try await store.ids(.compare("v", .eq, lit("true"))) == ["e"])
        #expect(try await store.ids(.compare("flag", .eq, lit("true"))) == ["a"])
        #expect(try await store.ids(.compare("flag", .eq, lit("false"))) == ["b"])
        #expect(try await store.ids(.compare("s", .eq, .literal(#"["x"]"#, quoted: true))) == ["d"])
        #expect(try await store.ids(.compare("tags", .eq, .json(["x"]))).isEmpty)
        #expect(try await store.ids(.compare("n", .eq, .json(.null))).isEmpty)
        #expect(try await store.ids(.compare("v", .eq, .json(json("1e1")))) == ["a", "b"])
    }

    @Test(arguments: StoreKind.allCases)
    func negationsAreTrueForMissingFields(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(try await store.ids(.compare("v", .ne, lit("10"))) == ["c", "d", "e", "f", "g", "h"])
        #expect(try await store.ids(.not(.compare("flag", .eq, lit("true")))) == ["b", "c", "d", "e", "f", "g", "h"])
        #expect(
            try await store.ids(.membership("flag", [lit("true"), lit("false")], negated: true)) == [
                "c", "d", "e", "f", "g", "h",
            ]
        )
        #expect(try await store.ids(.not(.compare("v", .gt, lit("0")))) == ["c", "e", "f", "g", "h"])
        #expect(
            try await store.ids(.not(.and([.compare("v", .ge, lit("1")), .compare("flag", .eq, lit("true"))]))) == [
                "b", "c", "d", "e", "f", "g", "h",
            ]
        )
        #expect(try await store.ids(.not(.or([.isNull("o", negated: false), .compare("s", .lt, lit("a"))]))) == ["a"])
    }

    @Test(arguments: StoreKind.allCases)
    func orderingComparesOnlyLikeTypes(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(try await store.ids(.compare("v", .gt, lit("0"))) == ["a", "b", "d"])
        #expect(try await store.ids(.compare("v", .le, lit("1"))) == ["d", "f", "h"])
        #expect(try await store.ids(.compare("v", .lt, .literal("2", quoted: true))) == ["c"])
        #expect(try await store.ids(.compare("flag", .gt, lit("false"))) == ["a"])
        #expect(try await store.ids(.compare("s", .lt, lit("a"))) == ["b", "d", "e"])  // "A", "[", "1" sort before "a"
        // By UTF-8 bytes, "É" and "é" sort after "z".
        #expect(try await store.ids(.compare("s", .gt, lit("z"))) == ["f", "g", "h"])
        #expect(try await store.ids(.compare("tags", .gt, lit("0"))).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func patternsTreatEverythingButStarLiterally(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(try await store.ids(.pattern("s", "100% a_b?c*d", caseInsensitive: false)) == ["e"])
        #expect(try await store.ids(.pattern("s", "100% a_b?c**", caseInsensitive: false)) == ["e"])
        #expect(try await store.ids(.pattern("s", "1%", caseInsensitive: false)).isEmpty)
        #expect(try await store.ids(.pattern("s", "?00*", caseInsensitive: false)).isEmpty)
        #expect(try await store.ids(.pattern("s", "[[]*", caseInsensitive: false)).isEmpty)
        #expect(try await store.ids(.pattern("s", "[*", caseInsensitive: false)) == ["d"])
        #expect(try await store.ids(.pattern("s", "a*", caseInsensitive: false)) == ["a"])
        #expect(try await store.ids(.pattern("s", "a*", caseInsensitive: true)) == ["a", "b"])
        #expect(try await store.ids(.pattern("s", "éCL*", caseInsensitive: true)) == ["f", "g", "h"])
        #expect(try await store.ids(.pattern("s", "É*", caseInsensitive: false)) == ["f", "h"])
        #expect(try await store.ids(.pattern("v", "1*", caseInsensitive: false)) == ["c"])  // numbers are not strings
        #expect(try await store.ids(.pattern("id", "?", caseInsensitive: false)).isEmpty)
        #expect(try await store.ids(.pattern("id", "*", caseInsensitive: false)).count == 8)
    }

    @Test(arguments: StoreKind.allCases)
    func nullAndEmptyFollowTheirDefinitions(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(try await store.ids(.isNull("n", negated: false)) == ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(try await store.ids(.isNull("o", negated: true)) == ["a", "b", "d"])
        #expect(try await store.ids(.isEmpty("e", negated: false)) == ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(try await store.ids(.isEmpty("o", negated: true)) == ["a", "d"])
        #expect(try await store.ids(.isEmpty("tags", negated: false)) == ["b", "c", "d", "e", "g", "h"])
        #expect(try await store.ids(.isEmpty("s", negated: false)).isEmpty)
        #expect(try await store.ids(.isNull("o.k", negated: true)) == ["a", "d"])
        #expect(try await store.ids(.compare("o.k", .eq, lit("2"))) == ["d"])
        #expect(try await store.ids(.compare("s.x", .eq, lit("2"))).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func membershipAndLogicCombine(kind: StoreKind) async throws {
        let store = try await makeMixedStore(kind)
        #expect(
            try await store.ids(
                .membership("v", [lit("10"), lit("true"), lit("1"), .literal("10", quoted: true)], negated: false)
            ) == ["a", "b", "c", "d", "e"]
        )
        #expect(try await store.ids(.membership("v", [], negated: false)).isEmpty)
        #expect(try await store.ids(.membership("v", [], negated: true)).count == 8)
        #expect(try await store.ids(.and([])).count == 8)
        #expect(try await store.ids(.or([])).isEmpty)
        #expect(try await store.ids(.not(.or([]))).count == 8)
        #expect(
            try await store.ids(.or([.compare("s", .eq, lit("apple")), .compare("v", .eq, lit("0"))])) == ["a", "h"]
        )
    }

    @Test(arguments: StoreKind.allCases)
    func metadataPathsUseTheColumns(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([
            .insert(entity("A", [:], version: 1, createdMs: 0, createdBy: "ann")),
            .insert(entity("B", [:], version: 3, createdMs: 5_000)),
            .insert(entity("C", [:], version: 2, createdMs: 10_000, createdBy: "bob")),
        ])
        #expect(try await store.ids(.compare("id", .eq, lit("B"))) == ["B"])
        #expect(try await store.ids(.compare("_meta.version", .ge, lit("2"))) == ["B", "C"])
        #expect(try await store.ids(.compare("_meta.version", .eq, .literal("2", quoted: true))).isEmpty)
        let cut = Timestamp.format(Date(timeIntervalSince1970: 1_700_000_004))
        #expect(try await store.ids(.compare("_meta.created", .gt, .literal(cut, quoted: true))) == ["B", "C"])
        #expect(try await store.ids(.isNull("_meta.createdBy", negated: false)) == ["B"])
        #expect(try await store.ids(.compare("_meta.createdBy", .ne, lit("ann"))) == ["B", "C"])
        #expect(try await store.ids(.isNull("_meta", negated: false)).isEmpty)
        #expect(try await store.ids(.isNull("_meta.nothing", negated: false)).count == 3)
        let sorted = try await store.ids(Query(sort: [SortKey("_meta.created", descending: true)]))
        #expect(sorted == ["C", "B", "A"])
    }

    @Test(arguments: StoreKind.allCases)
    func unusualKeysAreQueriedSafely(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("A", object(#"{"a.b":1,"it's":"x","sp ace":{"é":2}}"#)))])
        #expect(try await store.ids(.compare(FieldPath(["a.b"]), .eq, lit("1"))) == ["A"])
        #expect(try await store.ids(.compare(FieldPath(["it's"]), .eq, lit("x"))) == ["A"])
        #expect(try await store.ids(.compare(FieldPath(["sp ace", "é"]), .eq, lit("2"))) == ["A"])
        #expect(try await store.ids(.compare(FieldPath(["a"]), .eq, lit("1"))).isEmpty)
        let error = await #expect(throws: StoreError.self) {
            try await store.ids(.compare(FieldPath([#"x"y"#]), .eq, lit("1")))
        }
        #expect(error?.code == .invalidQuery)
    }
}
