import EntityModel
import Testing

/// ``Schema/includingNGSILDCollection(named:)``: the collection NGSI-LD entities live in.
struct NGSILDCollectionSchemaTests {
    @Test func anUndeclaredCollectionIsAddedWithURIIdsAndDefaultAccess() throws {
        let closed = try Schema(json: JSON(parsing: #"{"collections": {"products": {}}}"#))
        let schema = try closed.includingNGSILDCollection(named: "ngsild")
        var expected = CollectionSchema(ids: .uri)
        expected.aliasesMetadata = false
        #expect(schema.collection(at: CollectionPath("ngsild")) == expected)
        #expect(schema.collection(at: CollectionPath("products")) == CollectionSchema())
        #expect(!schema.isOpen)

        let open = try Schema.open.includingNGSILDCollection()
        #expect(open.isOpen)
        #expect(open.collection(at: CollectionPath(Schema.defaultNGSILDCollection))?.ids == .uri)
        #expect(open.collection(at: CollectionPath("other"))?.ids == .urlSafe)
    }

    @Test func aDeclarationMaySetAccessIndexesAndSearchAndAlwaysGetsURIIds() throws {
        let text = #"""
            {"collections": {"broker": {"ids": "url-safe", "indexes": ["type"], "search": ["name.value"],
                "access": {"read": "public-read", "create": "anyone", "write": "anyone"}}}}
            """#
        let schema = try Schema(json: JSON(parsing: text)).includingNGSILDCollection(named: "broker")
        let broker = try #require(schema.collections["broker"])
        #expect(broker.ids == .uri)
        #expect(broker.indexes == ["type"])
        #expect(broker.searchFields == ["name.value"])
        #expect(broker.access == CollectionAccess(read: .publicRead, create: .anyone, write: .anyone))
    }

    static let refused: [(String, String)] = [
        (#"{"fields": {"type": {"type": "string"}}}"#, "collections.ngsild.fields"),
        (#"{"strict": true}"#, "collections.ngsild.strict"),
        (#"{"actions": {"go": {"set": {"a": 1}}}}"#, "collections.ngsild.actions"),
        (#"{"collections": {"n": {}}}"#, "collections.ngsild.collections"),
        (#"{"idPrefix": "P"}"#, "collections.ngsild.idPrefix"),
        (##"{"idPattern": "#-#"}"##, "collections.ngsild.idPattern"),
    ]

    @Test(arguments: refused)
    func aDeclarationOfAnythingElseIsAnErrorNamingIt(declaration: String, path: String) throws {
        let schema = try Schema(json: JSON(parsing: #"{"collections": {"ngsild": \#(declaration)}}"#))
        let error = #expect(throws: SchemaError.self) { try schema.includingNGSILDCollection(named: "ngsild") }
        #expect(error?.path == path)
        #expect(error?.reason == "the NGSI-LD collection may declare only access, indexes and search")
    }

    @Test func theNameMustBeACollectionName() throws {
        let invalid = #expect(throws: SchemaError.self) { try Schema.open.includingNGSILDCollection(named: "_ngsi") }
        #expect(invalid?.path == "collections._ngsi")
        let namespaced = try Schema(json: JSON(parsing: #"{"namespaces": {"ngsild": {}}}"#))
        let clash = #expect(throws: SchemaError.self) { try namespaced.includingNGSILDCollection(named: "ngsild") }
        #expect(clash?.path == "namespaces.ngsild")
    }
}
