import EntityModel
import Testing

struct SchemaOperationsLoadingTests {
    /// The schema of issue 13, verbatim.
    static let odataExample = """
        {"collections": {"categories": {"fields": {"title": {"type": "string", "required": true}}},
         "products": {"fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"},
           "tags": {"type": "array", "items": {"type": "string"}},
           "categoryId": {"type": "reference", "collection": "categories", "navigation": "category", "inverse": "products"}},
          "actions": {"reprice": {"parameters": {"price": {"type": "decimal", "required": true}}, "set": {"price": {"$param": "price"}}}},
          "functions": {"isCheap": {"parameters": {"max": {"type": "decimal", "required": true}}, "test": "le(price,$max)"},
           "cheap": {"on": "collection", "parameters": {"max": {"type": "decimal"}}, "filter": "le(price,$max)"}}}},
         "actions": {"resetStock": {"collection": "products", "set": {"stock": 0}}},
         "functions": {"countCheap": {"collection": "products", "parameters": {"max": {"type": "decimal"}}, "filter": "le(price,$max)", "returns": "count"}}}
        """

    @Test func loadsTheODataExampleOfTheIssue() throws {
        let schema = try Schema(json: JSON(parsing: Self.odataExample))
        let products = try #require(schema.collections["products"])
        #expect(products.fields["tags"]?.items == FieldSchema(type: .string))
        #expect(
            products.fields["categoryId"]
                == FieldSchema(
                    type: .reference,
                    reference: ReferenceSchema(collection: "categories", navigation: "category", inverse: "products")
                )
        )
        #expect(products.fields["categoryId"]?.reference?.onDelete == .restrict)
        #expect(products.indexedFields == ["categoryId"])
        let reprice = try #require(products.actions["reprice"])
        #expect(reprice.scope == .resource)
        #expect(reprice.parameters == ["price": FieldSchema(type: .decimal, isRequired: true)])
        #expect(reprice.values(binding: ["price": 9]) == ["price": 9])
        #expect(reprice.values(binding: [:]) == ["price": .null])
        let isCheap = try #require(products.functions["isCheap"])
        #expect(isCheap.scope == .resource)
        #expect(isCheap.test == "le(price,$max)")
        #expect(isCheap.rql == "le(price,$max)")
        let cheap = try #require(products.functions["cheap"])
        #expect(cheap.scope == .collection)
        #expect(cheap.filter == "le(price,$max)")
        #expect(cheap.returns == .entities)
        #expect(cheap.parameters["max"]?.isRequired == false)
        #expect(
            schema.actions["resetStock"] == ActionSchema(set: ["stock": 0], scope: .collection, collection: "products")
        )
        let countCheap = try #require(schema.functions["countCheap"])
        #expect(countCheap.scope == .collection)
        #expect(countCheap.returns == .count)
        #expect(countCheap.collection == "products")
    }

    @Test func referencesMayPointIntoANamespaceAndToTheirOwnCollection() throws {
        let text = """
            {"namespaces": {"devops": {"collections": {"services": {"fields": {
                "parent": {"type": "reference", "collection": "devops/services", "navigation": "parentService",
                           "inverse": "children", "onDelete": "setNull"}}}}}},
             "collections": {"tickets": {"fields": {"service": {"type": "reference", "collection": "devops/services"}}}}}
            """
        let schema = try Schema(json: JSON(parsing: text))
        let services = CollectionPath(namespace: "devops", segments: ["services"])
        #expect(schema.collectionPath(forKey: "devops/services") == services)
        #expect(schema.collection(at: services)?.fields["parent"]?.reference?.onDelete == .setNull)
        #expect(schema.collections["tickets"]?.references.map(\.reference.collection) == ["devops/services"])
        #expect(schema.collectionPath(forKey: "devops") == nil)
        #expect(schema.documentPath(ofKey: "devops/services") == "namespaces.devops.collections.services")
    }

    @Test func nestedFieldDeclarationsKeepTheirItems() throws {
        let text =
            #"{"collections": {"p": {"fields": {"m": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}}}}}"#
        let schema = try Schema(json: JSON(parsing: text))
        #expect(schema.collections["p"]?.fields["m"]?.items?.items == FieldSchema(type: .integer))
    }

    static let invalid: [(String, String)] = [
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "reference"}}}}}"#,
            #"collections.p.fields.r.collection: missing; a reference names the collection of its targets (e.g. "categories")"#
        ),
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "reference", "collection": "nothing"}}}}}"#,
            "collections.p.fields.r.collection: unknown collection 'nothing'; name a collection that is not nested, as products or devops/services"
        ),
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "reference", "collection": "p/n"}}, "collections": {"n": {}}}}}"#,
            "collections.p.fields.r.collection: unknown collection 'p/n'; name a collection that is not nested, as products or devops/services"
        ),
        (
            #"{"collections": {"p": {"collections": {"n": {"fields": {"r": {"type": "reference", "collection": "p"}}}}}}}"#,
            "collections.p.collections.n.fields.r.type: reference fields are declared only in collections that are not nested"
        ),
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "string", "collection": "p"}}}}}"#,
            "collections.p.fields.r.collection: only reference fields declare collection"
        ),
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "reference", "collection": "p", "onDelete": "cascade"}}}}}"#,
            #"collections.p.fields.r.onDelete: unknown onDelete rule; expected one of "restrict", "setNull""#
        ),
        (
            #"{"collections": {"p": {"fields": {"r": {"type": "reference", "collection": "p", "required": true, "onDelete": "setNull"}}}}}"#,
            #"collections.p.fields.r.onDelete: a required reference cannot become null; use "restrict""#
        ),
        (
            #"{"collections": {"p": {"fields": {"o": {"type": "object", "fields": {"r": {"type": "reference", "collection": "p"}}}}}}}"#,
            "collections.p.fields.o.fields.r.type: reference fields are top-level fields of a collection (not subfields, items or parameters)"
        ),
        (
            #"{"collections": {"p": {"fields": {"t": {"type": "string", "items": {"type": "string"}}}}}}"#,
            "collections.p.fields.t.items: only array fields declare items"
        ),
        (
            #"{"collections": {"p": {"fields": {"t": {"type": "array", "items": {"type": "text"}}}}}}"#,
            "collections.p.fields.t.items.type: unknown type \"text\"; expected one of string, integer, decimal, boolean, date, datetime, object, array, reference"
        ),
        (
            #"{"collections": {"p": {"fields": {"name": {"type": "string"}, "r": {"type": "reference", "collection": "p", "navigation": "name"}}}}}"#,
            "collections.p.fields.r.navigation: p already has a field, nested collection or navigation named name"
        ),
        (
            #"{"collections": {"c": {"fields": {"title": {"type": "string"}}}, "p": {"fields": {"r": {"type": "reference", "collection": "c", "inverse": "title"}}}}}"#,
            "collections.p.fields.r.inverse: c already has a field, nested collection or navigation named title"
        ),
        (
            #"{"collections": {"p": {"fields": {"a": {"type": "reference", "collection": "p", "navigation": "x"}, "b": {"type": "reference", "collection": "p", "inverse": "x"}}}}}"#,
            "collections.p.fields.b.inverse: p already has a field, nested collection or navigation named x"
        ),
        (
            #"{"collections": {"p": {"fields": {"a": {"type": "reference", "collection": "p", "navigation": "a b"}}}}}"#,
            "collections.p.fields.a.navigation: names may contain only letters, digits, '-' and '_'"
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"set": {"x": {"$param": "y"}}}}}}}"#,
            "collections.p.actions.go.set.x.$param: no parameter y is declared; declare it under \"parameters\""
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"set": {"x": {"$param": "y", "z": 1}}, "parameters": {"y": {"type": "string"}}}}}}}"#,
            #"collections.p.actions.go.set.x: a parameter is written {"$param": "name"}, with nothing beside it"#
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"parameters": {"y": {"type": "reference", "collection": "p"}}}}}}}"#,
            "collections.p.actions.go.parameters.y.type: reference fields are top-level fields of a collection (not subfields, items or parameters)"
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"parameters": {"y": {"type": "integer", "required": "yes"}}}}}}}"#,
            "collections.p.actions.go.parameters.y.required: expected true or false, found string"
        ),
        (
            #"{"collections": {"p": {"actions": {"go": {"on": "all"}}}}}"#,
            #"collections.p.actions.go.on: unknown scope; expected one of "resource", "collection""#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"filter": "eq(a,1)"}}}}}"#,
            #"collections.p.functions.f.filter: a resource function declares "test", not "filter""#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"on": "collection", "test": "eq(a,1)"}}}}}"#,
            #"collections.p.functions.f.test: a collection function declares "filter", not "test""#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {}}}}}"#,
            "collections.p.functions.f.test: missing; a resource function declares RQL here"
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"test": " "}}}}}"#,
            #"collections.p.functions.f.test: expected RQL such as eq(status,published), found """#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"test": "eq(a,1)", "returns": "count"}}}}}"#,
            #"collections.p.functions.f.returns: a resource function returns a boolean; "returns" is for collection functions"#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"on": "collection", "filter": "eq(a,1)", "returns": "entity"}}}}}"#,
            #"collections.p.functions.f.returns: unknown result kind; expected one of "entities", "count""#
        ),
        (
            #"{"collections": {"p": {"functions": {"f": {"test": "eq(a,1)", "when": "x"}}}}}"#,
            "collections.p.functions.f.when: unknown key; expected one of filter, on, parameters, returns, test"
        ),
        (
            #"{"collections": {"p": {"actions": {"f": {}}, "functions": {"f": {"test": "eq(a,1)"}}}}}"#,
            "collections.p.functions.f: an action and a function share the name f"
        ),
        (
            #"{"collections": {"p": {"collections": {"f": {}}, "functions": {"f": {"test": "eq(a,1)"}}}}}"#,
            "collections.p.functions.f: a function and a nested collection share the name f"
        ),
        (
            #"{"actions": {"go": {"set": {"a": 1}}}}"#,
            #"actions.go.collection: missing; a top-level operation names the collection it acts on (e.g. "products")"#
        ),
        (
            #"{"actions": {"go": {"collection": "p", "on": "resource"}}, "collections": {"p": {}}}"#,
            "actions.go.on: unknown key; expected one of collection, parameters, set, when"
        ),
        (
            #"{"functions": {"f": {"collection": "q", "filter": "eq(a,1)"}}, "collections": {"p": {}}}"#,
            "functions.f.collection: unknown collection 'q'; name a collection that is not nested, as products or devops/services"
        ),
        (
            #"{"functions": {"p": {"collection": "p", "filter": "eq(a,1)"}}, "collections": {"p": {}}}"#,
            "functions.p: a top-level operation and a collection or namespace share the name p"
        ),
        (
            #"{"actions": {"f": {"collection": "p"}}, "functions": {"f": {"collection": "p", "filter": "eq(a,1)"}}, "collections": {"p": {}}}"#,
            "functions.f: a top-level action and function share the name f"
        ),
        (
            #"{"functions": {"f": {"collection": "p", "test": "eq(a,1)"}}, "collections": {"p": {}}}"#,
            "functions.f.test: unknown key; expected one of collection, filter, parameters, returns"
        ),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidOperationsAndReferencesWithThePathOfTheProblem(text: String, message: String) throws {
        let json = try JSON(parsing: text)
        #expect(throws: SchemaError.self) { try Schema(json: json) }
        do {
            _ = try Schema(json: json)
        } catch {
            #expect(error.description == message)
        }
    }
}
