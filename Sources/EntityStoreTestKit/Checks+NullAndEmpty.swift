import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// One document per kind of value `f` and `o.k` can hold (or lack), in id order.
    static let nullAndEmptyDocuments: [(String, String)] = [
        ("array", #"{"f":[],"o":{"k":[]}}"#),
        ("blank", #"{"f":"","o":{"k":""}}"#),
        ("false", #"{"f":false,"o":{"k":false}}"#),
        ("missing", #"{}"#),
        ("notObject", #"{"o":""}"#),
        ("null", #"{"f":null,"o":{"k":null}}"#),
        ("object", #"{"f":{},"o":{"k":{}}}"#),
        ("quotes", #"{"f":"\"\"","o":{"k":" "}}"#),
        ("x", #"{"f":"x","o":{"k":"x"}}"#),
        ("zero", #"{"f":0,"o":{"k":0}}"#),
    ]

    /// RQL's `empty()` is the empty string: `eq(f,empty())` matches `""` only, `ne(f,empty())` every
    /// other entity (missing and `null` included); `null()` is null or missing. The filters are the
    /// RQL parser's, so this also pins down what it turns `empty()` and `null()` into; declared
    /// indexes must not change the answers.
    static let emptyIsTheEmptyStringAndNullIsNullOrMissing = ConformanceCheck(
        "emptyIsTheEmptyStringAndNullIsNullOrMissing"
    ) { makeStore in
        let all = nullAndEmptyDocuments.map(\.0)
        let nullOrMissing = ["missing", "notObject", "null"]
        let cases: [(String, [String])] = [
            ("eq(f,empty())", ["blank"]),
            ("ne(f,empty())", all.filter { $0 != "blank" }),
            ("not(eq(f,empty()))", all.filter { $0 != "blank" }),
            ("f=empty()", ["blank"]),
            ("eq(f,null())", nullOrMissing),
            ("ne(f,null())", all.filter { !nullOrMissing.contains($0) }),
            ("eq(o.k,empty())", ["blank"]),
            ("ne(o.k,empty())", all.filter { $0 != "blank" }),
            ("eq(o.k,null())", nullOrMissing),
            ("ne(o.k,null())", all.filter { !nullOrMissing.contains($0) }),
            ("in(f,(x,empty()))", ["blank", "x"]),
            ("out(f,(x,empty()))", all.filter { $0 != "blank" && $0 != "x" }),
            ("or(eq(f,empty()),eq(f,null()))", ["blank", "missing", "notObject", "null"]),
        ]
        for indexes in [[], ["f", "o.k"]] {
            let store = try await freshStore(makeStore, schema: productsSchema(indexes: indexes))
            try await store.insert(nullAndEmptyDocuments.map { entity($0.0, object($0.1)) })
            for (rql, expected) in cases {
                let filter = try RQLParser().parseFilter(rql)
                try expectEqual(
                    try await store.ids(filter),
                    expected,
                    "ids matching \(rql) (\(filter)), indexes \(indexes)"
                )
            }
        }
    }
}
