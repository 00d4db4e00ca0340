import EntityModel
import Foundation
import Testing

struct SchemaLoadingTests {
    static let example = """
        {"namespaces": {"devops": {"collections": {"services": {"idPrefix": "SRVC", "collections": {"environments": {}}}}}},
         "collections": {"products": {"idPrefix": "PRD", "idPattern": "###-###-###",
            "fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"},
                       "status": {"type": "string"}, "released": {"type": "datetime"}},
            "indexes": ["status", "price"], "search": ["name", "description"],
            "actions": {"endsale": {"when": "eq(status,published)", "set": {"status": "endofsale"}}}}}}
        """

    @Test func loadsTheExampleSchema() throws {
        let schema = try Schema(json: JSON(parsing: Self.example))
        let products = try #require(schema.collection(at: CollectionPath("products")))
        #expect(products.idPrefix == "PRD")
        #expect(products.idPattern == "###-###-###")
        #expect(products.fields["name"] == FieldSchema(type: .string, isRequired: true))
        #expect(products.fieldType(at: ["price"]) == .decimal)
        #expect(products.fieldType(at: ["released"]) == .datetime)
        #expect(products.fieldType(at: ["description"]) == nil)
        #expect(products.indexes == ["status", "price"])
        #expect(products.searchFields == ["name", "description"])
        #expect(products.actions["endsale"]?.when == "eq(status,published)")
        #expect(products.actions["endsale"]?.set == ["status": "endofsale"])
        #expect(!products.isStrict)

        let services = CollectionPath(namespace: "devops", segments: ["services"])
        #expect(schema.collection(at: services)?.idPrefix == "SRVC")
        let environments = services.nested("environments", in: "SRVC-1")
        #expect(environments.rawValue == "devops/services/SRVC-1/environments")
        #expect(environments.schemaKey == "devops/services/environments")
        #expect(schema.collection(at: environments) == CollectionSchema())
        #expect(schema.collection(at: CollectionPath("services")) == nil)
        #expect(schema.collection(at: CollectionPath("unknown")) == nil)
        #expect(schema.allCollections.map(\.key) == ["products", "devops/services", "devops/services/environments"])
    }

    @Test func loadsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(Self.example.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Schema(contentsOf: url).collections.keys.sorted() == ["products"])
    }

    @Test func reportsInvalidJSONInAFileWithItsPosition() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data("{\n  \"collections\": {,}\n}".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(
            throws: SchemaError(
                path: "",
                reason: "invalid JSON at line 2, column 19: expected a string key in an object"
            )
        ) {
            try Schema(contentsOf: url)
        }
    }

    @Test func acceptsNestedFieldDeclarations() throws {
        let text =
            #"{"collections": {"p": {"fields": {"address": {"type": "object", "fields": {"city": {"type": "string"}}}}}}}"#
        let schema = try Schema(json: JSON(parsing: text))
        #expect(schema.collections["p"]?.fieldType(at: ["address", "city"]) == .string)
        #expect(schema.collections["p"]?.fieldType(at: ["address", "zip"]) == nil)
    }

    @Test func acceptsAnEmptySchema() throws {
        let schema = try Schema(json: [:])
        #expect(schema.collections.isEmpty)
        #expect(!schema.isOpen)
    }

    @Test func theOpenSchemaAcceptsAnyTopLevelCollection() {
        #expect(Schema.open.collection(at: CollectionPath("anything")) == CollectionSchema())
        #expect(Schema.open.collection(at: CollectionPath("a").nested("b", in: "ID-1")) == nil)
    }

    @Test func collectionsArePrivateToSignedInCreatorsByDefault() throws {
        let schema = try Schema(json: JSON(parsing: #"{"collections": {"p": {}}}"#))
        #expect(schema.collections["p"]?.access == CollectionAccess(read: .private, create: .authenticated))
        #expect(CollectionSchema().access == CollectionAccess())
        #expect(Schema.open.collection(at: CollectionPath("anything"))?.access == CollectionAccess())
    }

    static let accessForms: [(String, CollectionAccess)] = [
        (#""private""#, CollectionAccess(read: .private)),
        (#""authenticated-read""#, CollectionAccess(read: .authenticatedRead)),
        (#""public-read""#, CollectionAccess(read: .publicRead, create: .authenticated)),
        (#"{}"#, CollectionAccess()),
        (#"{"read": "public-read"}"#, CollectionAccess(read: .publicRead)),
        (#"{"create": "admin"}"#, CollectionAccess(read: .private, create: .admin)),
        (
            #"{"read": "authenticated-read", "create": "anyone"}"#,
            CollectionAccess(read: .authenticatedRead, create: .anyone)
        ),
        (#"{"create": "authenticated", "read": "private"}"#, CollectionAccess()),
    ]

    @Test(arguments: accessForms)
    func readsTheAccessOfACollectionInBothForms(access: String, expected: CollectionAccess) throws {
        let text = #"{"collections": {"p": {"access": \#(access), "collections": {"n": {"access": \#(access)}}}}}"#
        let schema = try Schema(json: JSON(parsing: text))
        #expect(schema.collections["p"]?.access == expected)
        // Nested collections declare their own access; they do not inherit the parent's.
        #expect(schema.collection(at: CollectionPath("p").nested("n", in: "P-1"))?.access == expected)
    }

    @Test func nestedCollectionsDoNotInheritTheParentsAccess() throws {
        let text = #"{"collections": {"p": {"access": "public-read", "collections": {"n": {}}}}}"#
        let schema = try Schema(json: JSON(parsing: text))
        #expect(schema.collections["p"]?.access.read == .publicRead)
        #expect(schema.collection(at: CollectionPath("p").nested("n", in: "P-1"))?.access == CollectionAccess())
    }

    @Test func theSharedTestSchemasDeclareTheirAccess() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let schema = try Schema(contentsOf: fixtures.appendingPathComponent("access-schema.json"))
        #expect(schema.collections["vaults"]?.access == CollectionAccess())
        #expect(schema.collections["memos"]?.access == CollectionAccess(read: .authenticatedRead))
        #expect(schema.collections["notices"]?.access == CollectionAccess(read: .publicRead, create: .authenticated))
    }

    static let invalid: [(String, String)] = [
        (#"[]"#, "expected an object, found array"),
        (
            #"{"colections": {}}"#,
            "colections: unknown key; expected one of actions, collections, functions, namespaces"
        ),
        (#"{"collections": []}"#, "collections: expected an object, found array"),
        (#"{"collections": {"products": 1}}"#, "collections.products: expected an object, found integer"),
        (
            #"{"collections": {"pro ducts": {}}}"#,
            "collections.pro ducts: names may contain only letters, digits, '-' and '_'"
        ),
        (
            #"{"collections": {"p": {"idprefix": "P"}}}"#,
            "collections.p.idprefix: unknown key; expected one of access, actions, collections, fields, functions, idPattern, idPrefix, ids, indexes, requireETag, search, strict"
        ),
        (#"{"collections": {"p": {"idPrefix": 1}}}"#, "collections.p.idPrefix: expected a string, found integer"),
        (#"{"collections": {"p": {"strict": "yes"}}}"#, "collections.p.strict: expected true or false, found string"),
        (
            #"{"collections": {"p": {"fields": {"price": {}}}}}"#,
            "collections.p.fields.price.type: missing; expected one of string, integer, decimal, boolean, date, datetime, object, array, reference"
        ),
        (
            #"{"collections": {"p": {"fields": {"price": {"type": "money"}}}}}"#,
            "collections.p.fields.price.type: unknown type \"money\"; expected one of string, integer, decimal, boolean, date, datetime, object, array, reference"
        ),
        (
            #"{"collections": {"p": {"fields": {"a": {"type": "object", "fields": {"b": {"type": 3}}}}}}}"#,
            "collections.p.fields.a.fields.b.type: expected a string, found integer"
        ),
        (
            #"{"collections": {"p": {"fields": {"a": {"type": "string", "required": 1}}}}}"#,
            "collections.p.fields.a.required: expected true or false, found integer"
        ),
        (
            #"{"collections": {"p": {"fields": {"id": {"type": "string"}}}}}"#,
            "collections.p.fields.id: id is reserved for the entity's id and metadata"
        ),
        (
            #"{"collections": {"p": {"fields": {"_meta": {"type": "object"}}}}}"#,
            "collections.p.fields._meta: _meta is reserved for the entity's id and metadata"
        ),
        (
            #"{"collections": {"p": {"fields": {"a.b": {"type": "string"}}}}}"#,
            "collections.p.fields.a.b: field names must be non-empty and cannot contain '.'"
        ),
        (
            #"{"collections": {"p": {"fields": {"a": {"type": "object", "fields": {"": {"type": "string"}}}}}}}"#,
            "collections.p.fields.a.fields.: field names must be non-empty and cannot contain '.'"
        ),
        (
            #"{"collections": {"p": {"indexes": "status"}}}"#,
            "collections.p.indexes: expected an array of strings, found string"
        ),
        (#"{"collections": {"p": {"search": ["name", 1]}}}"#, "collections.p.search[1]: expected a non-empty string"),
        (
            #"{"collections": {"p": {"actions": {"go": {"when": 1}}}}}"#,
            "collections.p.actions.go.when: expected a string, found integer"
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"set": []}}}}}"#,
            "collections.p.actions.go.set: expected an object, found array"
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"do": 1}}}}}"#,
            "collections.p.actions.go.do: unknown key; expected one of on, parameters, set, when"
        ),
        (
            #"{"collections": {"p": {"actions": {"x": {}}, "collections": {"x": {}}}}}"#,
            "collections.p.actions.x: an action and a nested collection share the name x"
        ),
        (
            #"{"namespaces": {"p": {}}, "collections": {"p": {}}}"#,
            "namespaces.p: a namespace and a collection share the name p"
        ),
        (
            #"{"namespaces": {"ns": {"services": {}}}}"#,
            "namespaces.ns.services: unknown key; expected one of collections"
        ),
        (
            #"{"namespaces": {"ns": {"collections": {"s": {"collections": {"e": {"idPattern": []}}}}}}}"#,
            "namespaces.ns.collections.s.collections.e.idPattern: expected a string, found array"
        ),
        (
            #"{"collections": {"p": {"access": "public"}}}"#,
            #"collections.p.access: unknown read default; expected one of "private", "authenticated-read", "public-read""#
        ),
        (
            #"{"collections": {"p": {"access": "Public-Read"}}}"#,
            #"collections.p.access: unknown read default; expected one of "private", "authenticated-read", "public-read""#
        ),
        (
            #"{"collections": {"p": {"access": {"read": "everyone"}}}}"#,
            #"collections.p.access.read: unknown read default; expected one of "private", "authenticated-read", "public-read""#
        ),
        (
            #"{"collections": {"p": {"access": {"create": "nobody"}}}}"#,
            #"collections.p.access.create: unknown creator policy; expected one of "anyone", "authenticated", "admin""#
        ),
        (
            #"{"collections": {"p": {"access": {"read": "private", "write": "admin"}}}}"#,
            #"collections.p.access.write: unknown write policy; expected one of "creator", "authenticated", "anyone""#
        ),
        (
            #"{"collections": {"p": {"access": {"read": "private", "delete": "anyone"}}}}"#,
            "collections.p.access.delete: unknown key; expected one of create, read, write"
        ),
        (
            #"{"collections": {"p": {"access": {"read": 1}}}}"#,
            "collections.p.access.read: expected a string, found integer"
        ),
        (
            #"{"collections": {"p": {"access": {"create": null}}}}"#,
            "collections.p.access.create: expected a string, found null"
        ),
        (#"{"collections": {"p": {"access": 1}}}"#, "collections.p.access: expected an object, found integer"),
        (
            #"{"collections": {"p": {"access": ["public-read"]}}}"#,
            "collections.p.access: expected an object, found array"
        ),
        (
            #"{"namespaces": {"ns": {"collections": {"s": {"collections": {"e": {"access": "open"}}}}}}}"#,
            #"namespaces.ns.collections.s.collections.e.access: unknown read default; expected one of "private", "authenticated-read", "public-read""#
        ),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidSchemasWithThePathOfTheProblem(text: String, message: String) throws {
        let json = try JSON(parsing: text)
        #expect(throws: (any Error).self) { try Schema(json: json) }
        do {
            _ = try Schema(json: json)
        } catch {
            #expect(error.description == message)
        }
    }
}
