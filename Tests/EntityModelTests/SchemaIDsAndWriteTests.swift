import EntityModel
import Testing

/// `"ids"` and `"access": {"write": …}` in schema files.
struct SchemaIDsAndWriteTests {
    @Test func idsAreURLSafeUnlessDeclaredAsURIs() throws {
        let schema = try Schema(
            json: JSON(parsing: #"{"collections": {"a": {}, "b": {"ids": "uri"}, "c": {"ids": "url-safe"}}}"#)
        )
        #expect(schema.collections["a"]?.ids == .urlSafe)
        #expect(schema.collections["b"]?.ids == .uri)
        #expect(schema.collections["c"]?.ids == .urlSafe)
        #expect(Schema.open.collection(at: CollectionPath("anything"))?.ids == .urlSafe)
    }

    @Test func theWritePolicyIsReadAndDefaultsToTheCreator() throws {
        let text = #"""
            {"collections": {"a": {}, "b": {"access": {"write": "authenticated"}},
                             "c": {"access": {"read": "public-read", "create": "anyone", "write": "anyone"}},
                             "d": {"access": "public-read"}}}
            """#
        let schema = try Schema(json: JSON(parsing: text))
        #expect(schema.collections["a"]?.access.write == .creator)
        #expect(schema.collections["b"]?.access == CollectionAccess(write: .authenticated))
        #expect(schema.collections["c"]?.access == CollectionAccess(read: .publicRead, create: .anyone, write: .anyone))
        #expect(schema.collections["d"]?.access.write == .creator)
    }

    static let invalid: [(String, String)] = [
        (
            #"{"collections": {"p": {"ids": "iri"}}}"#,
            #"collections.p.ids: unknown id kind; expected one of "url-safe", "uri", "text""#
        ),
        (#"{"collections": {"p": {"ids": true}}}"#, "collections.p.ids: expected a string, found boolean"),
        (
            #"{"collections": {"p": {"ids": "uri", "idPrefix": "P"}}}"#,
            #"collections.p.idPrefix: "ids": "uri" generates urn:uuid ids; drop idPrefix"#
        ),
        (
            ##"{"collections": {"p": {"ids": "uri", "idPattern": "#-#"}}}"##,
            #"collections.p.idPattern: "ids": "uri" generates urn:uuid ids; drop idPattern"#
        ),
        (
            #"{"collections": {"p": {"ids": "uri", "collections": {"n": {}}}}}"#,
            #"collections.p.collections.n: a collection with "ids": "uri" cannot hold nested collections"#
        ),
        (
            #"{"collections": {"p": {"access": {"write": "everyone"}}}}"#,
            #"collections.p.access.write: unknown write policy; expected one of "creator", "authenticated", "anyone""#
        ),
    ]

    @Test(arguments: invalid)
    func rejectsBadIDsAndWritePolicies(text: String, message: String) throws {
        let json = try JSON(parsing: text)
        let error = #expect(throws: SchemaError.self) { try Schema(json: json) }
        #expect(error?.description == message)
    }

    @Test func aNestedCollectionMayHaveURIIdsUnderAURLSafeParent() throws {
        let schema = try Schema(json: JSON(parsing: #"{"collections": {"p": {"collections": {"n": {"ids": "uri"}}}}}"#))
        #expect(schema.collection(at: CollectionPath("p").nested("n", in: "P-1"))?.ids == .uri)
    }
}
