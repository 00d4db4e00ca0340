import CompressNIO
import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Server
import TestStores
import Testing

/// `$metadata`: CSDL XML per field type (issue 13 §1's mapping), the container, the operations and
/// their imports, CSDL JSON on `$format=json`, the ETag, and schemas whose OData names clash.
struct ODataCSDLTests {
    /// The parsed `$metadata` document of ``OD/schema``: the `Schema` element and the term aliases.
    struct Document {
        let schema: CSDLNode
        /// `Core` → `Org.OData.Core.V1`, from the `edmx:Include` elements.
        let aliases: [String: String]

        func type(_ name: String) -> CSDLNode? {
            schema.children.first { ($0.name == "EntityType" || $0.name == "ComplexType") && $0["Name"] == name }
        }

        var container: CSDLNode? { schema.all("EntityContainer").first }

        func set(_ name: String) -> CSDLNode? { container?.child("EntitySet", named: name) }

        /// Operations (overloads included) named `name` of element `kind` (`Action` or `Function`).
        func operations(_ kind: String, _ name: String) -> [CSDLNode] {
            schema.all(kind).filter { $0["Name"] == name }
        }

        /// A term with its alias replaced by the namespace.
        func qualified(_ term: String) -> String {
            guard let dot = term.firstIndex(of: "."), let namespace = aliases[String(term[..<dot])] else { return term }
            return namespace + term[dot...]
        }

        func terms(of node: CSDLNode) -> [String] { node.annotationTerms.map(qualified) }

        /// Whether `property` carries `Core.Computed` (with no `Bool` or `Bool="true"`).
        func isComputed(_ property: CSDLNode) -> Bool {
            property.all("Annotation").contains {
                qualified($0["Term"] ?? "") == "Org.OData.Core.V1.Computed" && ($0["Bool"] ?? "true") == "true"
            }
        }
    }

    static func document(_ client: any TestClientProtocol, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> Document
    {
        let response = try await client.od(.get, "$metadata", authorization: nil)
        #expect(response.status == .ok, "$metadata: \(response.text)", sourceLocation: sourceLocation)
        let root = try #require(
            CSDLNode.parse(Data(response.text.utf8)),
            "$metadata is no XML",
            sourceLocation: sourceLocation
        )
        #expect(root.name == "edmx:Edmx" && root["Version"] == "4.0", "\(root)", sourceLocation: sourceLocation)
        var aliases: [String: String] = [:]
        for include in root.descendants("edmx:Include") {
            if let alias = include["Alias"], let namespace = include["Namespace"] { aliases[alias] = namespace }
        }
        let schema = try #require(
            root.descendants("Schema").first { $0["Namespace"] == OD.namespace },
            "no Schema EntityHub",
            sourceLocation: sourceLocation
        )
        return Document(schema: schema, aliases: aliases)
    }

    /// Every field type of `samples` and what its property says.
    @Test(arguments: StoreBackend.allCases)
    func propertiesPerFieldType(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let document = try await Self.document(client)
            let samples = try #require(document.type("samples"))
            #expect(samples.name == "EntityType")
            #expect(samples["OpenType"] == "true", "a non-strict collection is an open type")
            let keys = samples.all("Key").first?.all("PropertyRef").compactMap { $0["Name"] }
            #expect(keys == ["id"])

            // name: (Type, Nullable attribute, Scale attribute)
            let expected: [String: (String, String?, String?)] = [
                "id": ("Edm.String", "false", nil),
                "text": ("Edm.String", "false", nil),
                "count": ("Edm.Int64", nil, nil),
                "amount": ("Edm.Decimal", nil, "variable"),
                "flag": ("Edm.Boolean", nil, nil),
                "day": ("Edm.Date", nil, nil),
                "moment": ("Edm.DateTimeOffset", nil, nil),
                "spec": ("EntityHub.samples_spec", nil, nil),
                "sizes": ("Collection(Edm.Int64)", nil, nil),
                "parentId": ("Edm.String", nil, nil),
                "about": ("Edm.String", nil, nil),
                "created": ("Edm.DateTimeOffset", "false", nil),
                "updated": ("Edm.DateTimeOffset", "false", nil),
            ]
            let properties = samples.all("Property")
            #expect(Set(properties.compactMap { $0["Name"] }) == Set(expected.keys), "untyped arrays stay dynamic")
            for property in properties {
                let name = property["Name"] ?? ""
                guard let (type, nullable, scale) = expected[name] else { continue }
                #expect(property["Type"] == type, "\(name): \(property)")
                #expect(property["Nullable"] == nullable, "\(name): \(property)")
                #expect(property["Scale"] == scale, "\(name): \(property)")
                let computed = name == "created" || name == "updated"
                #expect(document.isComputed(property) == computed, "\(name) Computed: \(property.children)")
            }

            // An object with fields is a complex type; `required` subfields are not nullable.
            let spec = try #require(document.type("samples_spec"))
            #expect(spec.name == "ComplexType")
            #expect(spec.all("Key").isEmpty)
            let weight = try #require(spec.child("Property", named: "weight"))
            #expect(weight["Type"] == "Edm.Decimal" && weight["Scale"] == "variable", "\(weight)")
            let color = try #require(spec.child("Property", named: "color"))
            #expect(color["Type"] == "Edm.String" && color["Nullable"] == "false", "\(color)")

            // A strict collection is closed; its metadata properties are still there.
            let fixed = try #require(document.type("fixed"))
            #expect(fixed["OpenType"] == nil || fixed["OpenType"] == "false", "\(fixed)")
            #expect(fixed.child("Property", named: "created").map(document.isComputed) == true)

            // tags: typed array items.
            let products = try #require(document.type("products"))
            #expect(products.child("Property", named: "tags")?["Type"] == "Collection(Edm.String)")
            #expect(products.child("Property", named: "categoryId")?["Type"] == "Edm.String")
            #expect(products.child("Property", named: "price")?["Scale"] == "variable")
            #expect(products.child("Property", named: "name")?["Nullable"] == "false")
        }
    }

    /// References: navigation + Partner + ReferentialConstraint, the inverse, self-references,
    /// bindings in the container; nested collections: containment, no entity set.
    @Test(arguments: StoreBackend.allCases)
    func navigationsAndContainment(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let document = try await Self.document(client)
            let products = try #require(document.type("products"))
            let category = try #require(products.child("NavigationProperty", named: "category"))
            #expect(category["Type"] == "EntityHub.categories", "\(category)")
            #expect(category["Partner"] == "products", "\(category)")
            #expect(category["ContainsTarget"] == nil)
            let constraint = category.all("ReferentialConstraint")
            #expect(constraint.count == 1)
            #expect(constraint.first?["Property"] == "categoryId" && constraint.first?["ReferencedProperty"] == "id")

            let categories = try #require(document.type("categories"))
            let inverse = try #require(categories.child("NavigationProperty", named: "products"))
            #expect(inverse["Type"] == "Collection(EntityHub.products)", "\(inverse)")
            #expect(inverse["Partner"] == "category", "\(inverse)")
            #expect(inverse.all("ReferentialConstraint").isEmpty)

            // A self-reference: both ends on the same type.
            let samples = try #require(document.type("samples"))
            let parent = try #require(samples.child("NavigationProperty", named: "parent"))
            #expect(parent["Type"] == "EntityHub.samples" && parent["Partner"] == "children", "\(parent)")
            let children = try #require(samples.child("NavigationProperty", named: "children"))
            #expect(children["Type"] == "Collection(EntityHub.samples)" && children["Partner"] == "parent")
            // A reference without `navigation` has no navigation property.
            let navigations = Set(samples.all("NavigationProperty").compactMap { $0["Name"] })
            #expect(navigations == ["parent", "children", "parts"], "\(navigations)")

            // A nested collection: a containment navigation to its own entity type, no entity set.
            let parts = try #require(samples.child("NavigationProperty", named: "parts"))
            #expect(parts["Type"] == "Collection(EntityHub.samples_parts)" && parts["ContainsTarget"] == "true")
            #expect(document.type("samples_parts")?.name == "EntityType")
            #expect(document.set("samples_parts") == nil)
            let environments = document.type("devops_services")?.child("NavigationProperty", named: "environments")
            #expect(environments?["Type"] == "Collection(EntityHub.devops_services_environments)")
            #expect(environments?["ContainsTarget"] == "true")

            // The container: one set per top-level collection, namespaced ones with `_`.
            let container = try #require(document.container)
            #expect(container["Name"] != nil)
            let sets = Set(container.all("EntitySet").compactMap { $0["Name"] })
            for name in ["categories", "products", "samples", "fixed", "locked", "devops_services"] {
                #expect(sets.contains(name), "no entity set \(name): \(sets)")
            }
            for set in container.all("EntitySet") {
                #expect(set["EntityType"] == "EntityHub.\(set["Name"] ?? "")", "\(set)")
            }
            func bindings(_ set: String) -> [String: String] {
                Dictionary(
                    (document.set(set)?.all("NavigationPropertyBinding") ?? []).map {
                        ($0["Path"] ?? "", $0["Target"] ?? "")
                    },
                    uniquingKeysWith: { first, _ in first }
                )
            }
            #expect(bindings("products") == ["category": "categories"])
            #expect(bindings("categories") == ["products": "products"])
            #expect(bindings("samples") == ["parent": "samples", "children": "samples"], "no binding for containment")
        }
    }

    /// Actions and functions: bound ones with `bindingParameter` first, return types of each kind,
    /// unbound ones imported under their own names.
    @Test(arguments: StoreBackend.allCases)
    func operationsAndImports(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let document = try await Self.document(client)
            for kind in ["Action", "Function"] {
                for operation in document.schema.all(kind) {
                    let parameters = operation.all("Parameter")
                    if operation["IsBound"] == "true" {
                        #expect(parameters.first?["Name"] == "bindingParameter", "\(operation)")
                        #expect(parameters.first?["Nullable"] == "false", "\(operation)")
                    } else {
                        #expect(!parameters.contains { $0["Name"] == "bindingParameter" }, "\(operation)")
                    }
                    #expect(operation.all("ReturnType").count == 1, "\(operation): one ReturnType")
                }
            }
            // reprice: a resource action with a required decimal parameter; returns the entity.
            let reprice = try #require(document.operations("Action", "reprice").first)
            #expect(reprice["IsBound"] == "true")
            let repriceParameters = reprice.all("Parameter")
            #expect(repriceParameters.map { $0["Name"] ?? "" } == ["bindingParameter", "price"])
            #expect(repriceParameters.first?["Type"] == "EntityHub.products")
            #expect(repriceParameters.last?["Type"] == "Edm.Decimal")
            #expect(repriceParameters.last?["Nullable"] == "false")
            #expect(repriceParameters.last?["Scale"] == "variable")
            #expect(reprice.all("ReturnType").first?["Type"] == "EntityHub.products")

            // isCheap: a resource test → Edm.Boolean.
            let isCheap = try #require(document.operations("Function", "isCheap").first)
            #expect(isCheap["IsBound"] == "true")
            #expect(isCheap.all("Parameter").first?["Type"] == "EntityHub.products")
            #expect(isCheap.all("ReturnType").first?["Type"] == "Edm.Boolean")

            // cheap: a collection filter → the matching entities, composable; an optional parameter.
            let cheap = try #require(document.operations("Function", "cheap").first)
            #expect(cheap["IsBound"] == "true")
            #expect(cheap["IsComposable"] == "true", "\(cheap)")
            #expect(cheap.all("Parameter").first?["Type"] == "Collection(EntityHub.products)")
            #expect(cheap.child("Parameter", named: "max")?["Nullable"] == nil)
            #expect(cheap.all("ReturnType").first?["Type"] == "Collection(EntityHub.products)")

            // The unbound ones: a collection action → Edm.Int64 and a count function → Edm.Int64.
            let resetStock = try #require(document.operations("Action", "resetStock").first)
            #expect(resetStock["IsBound"] == nil || resetStock["IsBound"] == "false")
            #expect(resetStock.all("ReturnType").first?["Type"] == "Edm.Int64")
            let countCheap = try #require(document.operations("Function", "countCheap").first)
            #expect(countCheap["IsBound"] == nil || countCheap["IsBound"] == "false")
            #expect(countCheap.all("ReturnType").first?["Type"] == "Edm.Int64")

            // Imports: exactly the unbound operations, under the same names.
            let container = try #require(document.container)
            let actionImports = container.all("ActionImport")
            let functionImports = container.all("FunctionImport")
            #expect(actionImports.map { $0["Name"] ?? "" } == ["resetStock"])
            #expect(actionImports.first?["Action"] == "EntityHub.resetStock")
            #expect(functionImports.map { $0["Name"] ?? "" } == ["countCheap"])
            #expect(functionImports.first?["Function"] == "EntityHub.countCheap")
            let unbound = (document.schema.all("Action") + document.schema.all("Function")).filter {
                $0["IsBound"] != "true"
            }
            #expect(Set(unbound.compactMap { $0["Name"] }) == ["resetStock", "countCheap"])

            // The service document lists the sets and the function imports.
            let service = try await client.od(.get, "", authorization: nil)
            #expect(service.status == .ok)
            let entries = service.values.map { "\($0["kind"]?.stringValue ?? ""):\($0["name"]?.stringValue ?? "")" }
            #expect(entries.contains("EntitySet:products") && entries.contains("FunctionImport:countCheap"))
            #expect(!entries.contains { $0.hasSuffix(":samples_parts") }, "\(entries)")
        }
    }

    /// `Core.OptimisticConcurrency` on the `requireETag` set only; its writes without `If-Match` → 428.
    @Test(arguments: StoreBackend.allCases)
    func optimisticConcurrencyOnRequireETagSets(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let document = try await Self.document(client)
            let term = "Org.OData.Core.V1.OptimisticConcurrency"
            #expect(document.set("locked").map(document.terms) == [term])
            for set in document.container?.all("EntitySet") ?? [] where set["Name"] != "locked" {
                #expect(!document.terms(of: set).contains(term), "\(set)")
            }

            let id = try await client.restCreate("locked", #"{"label": "a"}"#)
            let patch = try await client.od(.patch, OD.key("locked", id), #"{"label": "b"}"#)
            expectODataError(patch, .preconditionRequired, "PATCH without If-Match")
            var headers = HTTPFields()
            headers[.ifMatch] = OD.etag(1)
            let matched = try await client.od(.patch, OD.key("locked", id), #"{"label": "b"}"#, headers: headers)
            #expect(matched.status == .noContent || matched.status == .ok, "\(matched.text)")
            let stale = try await client.od(.patch, OD.key("locked", id), #"{"label": "c"}"#, headers: headers)
            expectODataError(stale, .preconditionFailed, "stale If-Match")
            // Other sets do not require it.
            let free = try await client.restCreate("fixed", #"{"label": "a"}"#)
            let plain = try await client.od(.patch, OD.key("fixed", free), #"{"label": "b"}"#)
            #expect(plain.status == .noContent || plain.status == .ok, "\(plain.text)")
        }
    }

    /// Clients that accept gzip get `$metadata` compressed, the same document once inflated, with an
    /// ETag of its own; either ETag revalidates; `q=0` and no header get it as it is.
    @Test func metadataIsGzippedForClientsThatAcceptIt() async throws {
        try await withODataServer(.sqlite) { client in
            let plain = try await client.od(.get, "$metadata", authorization: nil)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            let plainTag = try #require(plain.headers[.eTag])

            var accepting = HTTPFields()
            accepting[.acceptEncoding] = "gzip, deflate"
            let gzipped = try await client.od(.get, "$metadata", headers: accepting, authorization: nil)
            #expect(gzipped.status == .ok)
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.headers[.vary] == "Accept-Encoding")
            let gzipTag = try #require(gzipped.headers[.eTag])
            #expect(gzipTag != plainTag, "each representation has its own strong ETag")
            var compressed = gzipped.body
            #expect(compressed.readableBytes * 5 < plain.body.readableBytes, "CSDL compresses well")
            let inflated = try compressed.decompress(with: .gzip())
            #expect(inflated == plain.body, "the same document")

            for tag in [plainTag, gzipTag] {
                var conditional = accepting
                conditional[.ifNoneMatch] = tag
                let notModified = try await client.od(.get, "$metadata", headers: conditional, authorization: nil)
                #expect(notModified.status == .notModified, "\(tag)")
                #expect(notModified.headers[.eTag] == gzipTag)
            }
            for refusing in ["gzip;q=0", "identity", "br"] {
                var headers = HTTPFields()
                headers[.acceptEncoding] = refusing
                let answer = try await client.od(.get, "$metadata", headers: headers, authorization: nil)
                #expect(answer.headers[.contentEncoding] == nil, "\(refusing)")
                #expect(answer.body == plain.body, "\(refusing)")
            }
        }
    }

    /// An anonymous `GET $metadata` is served from the prebuilt document on a route of its own; a
    /// signed-in one, HEAD and refused versions take the general OData path. Both answer alike.
    @Test func metadataIsTheSameOnEveryPath() async throws {
        try await withODataServer(.sqlite) { client in
            for encoding in [nil, "gzip"] {
                var headers = HTTPFields()
                headers[.acceptEncoding] = encoding
                let anonymous = try await client.od(.get, "$metadata", headers: headers, authorization: nil)
                let signedIn = try await client.od(.get, "$metadata", headers: headers)
                #expect(anonymous.status == .ok)
                #expect(signedIn.status == .ok)
                for field in [HTTPField.Name.eTag, .contentType, .contentEncoding, .vary, .odataVersionHeader] {
                    #expect(
                        anonymous.headers[field] == signedIn.headers[field],
                        "\(field) with \(encoding ?? "no coding")"
                    )
                }
                #expect(anonymous.body == signedIn.body, "\(encoding ?? "no coding")")
            }
            var newer = HTTPFields()
            newer[.odataMaxVersionHeader] = "4.01"
            let v401 = try await client.od(.get, "$metadata", headers: newer, authorization: nil)
            #expect(v401.headers[.odataVersionHeader] == "4.01")

            var older = HTTPFields()
            older[.odataMaxVersionHeader] = "3.0"
            let refused = try await client.od(.get, "$metadata", headers: older, authorization: nil)
            #expect(refused.status == .badRequest)
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("4.0") == true, "\(refused.text)")

            let badKey = try await client.od(.get, "$metadata", authorization: "ApiKey nobody:wrongwrongwrongwrong")
            #expect(badKey.status == .unauthorized, "credentials are checked even for $metadata")
            #expect(try await client.od(.post, "$metadata", authorization: nil).status == .methodNotAllowed)
        }
    }

    /// The same model in CSDL JSON on `$format=json`, XML for every `Accept`; ETags and 304.
    @Test(arguments: StoreBackend.allCases)
    func csdlJSONAndETags(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let xml = try await client.od(.get, "$metadata", accept: "application/json", authorization: nil)
            #expect(xml.status == .ok)
            #expect(xml.headers[.contentType]?.lowercased().hasPrefix("application/xml") == true, "\(xml.headers)")
            let xmlTag = try #require(xml.headers[.eTag])
            #expect(xmlTag.hasPrefix("\"") && xmlTag.hasSuffix("\""), "a strong ETag: \(xmlTag)")

            let json = try await client.od(.get, "$metadata?$format=json", authorization: nil)
            #expect(json.status == .ok)
            #expect(json.headers[.contentType]?.lowercased().hasPrefix("application/json") == true)
            let jsonTag = try #require(json.headers[.eTag])
            #expect(jsonTag != xmlTag, "two documents, two ETags")

            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = xmlTag
            let notModified = try await client.od(.get, "$metadata", headers: conditional, authorization: nil)
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)
            #expect(notModified.headers[.eTag] == xmlTag)
            let again = try await client.od(.get, "$metadata?$format=json", headers: conditional, authorization: nil)
            #expect(again.status == .ok, "the XML ETag does not match the JSON document")
            conditional[.ifNoneMatch] = "\"other\""
            #expect(try await client.od(.get, "$metadata", headers: conditional).status == .ok)
            #expect(try await client.od(.get, "$metadata", authorization: nil).headers[.eTag] == xmlTag, "built once")

            let root = json.json
            let schema = try #require(root["EntityHub"])
            #expect(root["$EntityContainer"]?.stringValue == "EntityHub.Container")
            let samples = try #require(schema["samples"])
            #expect(samples["$Kind"] == "EntityType")
            #expect(samples["$OpenType"] == true)
            #expect(samples["$Key"] == ["id"])
            #expect(samples["id"]?["$Type"] == nil, "Edm.String is the default type")
            #expect(samples["id"]?["$Nullable"] == nil, "the key is not nullable")
            #expect(samples["id"]?["@Org.OData.Core.V1.Computed"] == nil, "the key is not computed")
            #expect(samples["text"]?["$Nullable"] == nil)
            #expect(samples["count"]?["$Type"] == "Edm.Int64" && samples["count"]?["$Nullable"] == true)
            #expect(samples["amount"]?["$Type"] == "Edm.Decimal" && samples["amount"]?["$Scale"] == "variable")
            #expect(samples["sizes"]?["$Collection"] == true && samples["sizes"]?["$Type"] == "Edm.Int64")
            #expect(samples["spec"]?["$Type"] == "EntityHub.samples_spec")
            #expect(samples["loose"] == nil)
            #expect(samples["created"]?["@Org.OData.Core.V1.Computed"] == true)
            #expect(samples["parent"]?["$Kind"] == "NavigationProperty")
            #expect(samples["parent"]?["$ReferentialConstraint"] == ["parentId": "id"])
            #expect(samples["parts"]?["$ContainsTarget"] == true && samples["parts"]?["$Collection"] == true)
            #expect(schema["samples_spec"]?["$Kind"] == "ComplexType")
            #expect(schema["fixed"]?["$OpenType"] == nil || schema["fixed"]?["$OpenType"] == false)

            let container = try #require(schema["Container"])
            #expect(container["products"]?["$NavigationPropertyBinding"] == ["category": "categories"])
            #expect(container["locked"]?["@Core.OptimisticConcurrency"] == [])
            #expect(container["products"]?["@Core.OptimisticConcurrency"] == nil)
            #expect(container["resetStock"]?["$Action"] == "EntityHub.resetStock")
            #expect(container["countCheap"]?["$Function"] == "EntityHub.countCheap")

            let reprice = try #require(schema["reprice"]?.arrayValue?.first)
            #expect(reprice["$Kind"] == "Action" && reprice["$IsBound"] == true)
            #expect(reprice["$Parameter"]?.arrayValue?.first?["$Name"] == "bindingParameter")
            #expect(reprice["$ReturnType"]?["$Type"] == "EntityHub.products")
            let cheap = try #require(schema["cheap"]?.arrayValue?.first)
            #expect(cheap["$IsComposable"] == true)
            #expect(cheap["$ReturnType"]?["$Collection"] == true)
            #expect(cheap["$EntitySetPath"] == "bindingParameter", "as EntitySetPath in CSDL XML")
        }
    }

    /// Schemas whose OData names clash do not start (a ``SchemaError``, from loading or from the router).
    @Test(arguments: [
        // `-` becomes `_`.
        #"{"collections": {"a-b": {}, "a_b": {}}}"#,
        // A namespaced collection and a top-level one.
        #"{"namespaces": {"devops": {"collections": {"services": {}}}}, "collections": {"devops_services": {}}}"#,
        // Two fields of one type.
        #"{"collections": {"things": {"fields": {"x-y": {"type": "string"}, "x_y": {"type": "string"}}}}}"#,
        // A navigation named like a field.
        #"{"collections": {"cats": {}, "dogs": {"fields": {"name": {"type": "string"}, "catId": {"type": "reference", "collection": "cats", "navigation": "name"}}}}}"#,
        // An inverse named like a field of the target.
        #"{"collections": {"cats": {"fields": {"dogs": {"type": "string"}}}, "dogs": {"fields": {"catId": {"type": "reference", "collection": "cats", "inverse": "dogs"}}}}}"#,
        // An object's complex type named like a collection.
        #"{"collections": {"a_spec": {}, "a": {"fields": {"spec": {"type": "object", "fields": {"x": {"type": "string"}}}}}}}"#,
        // A nested collection's type named like a top-level one.
        #"{"collections": {"a": {"collections": {"b": {}}}, "a_b": {}}}"#,
        // An unbound operation named like an entity set.
        #"{"collections": {"products": {}, "countThem": {}}, "functions": {"countThem": {"collection": "products", "filter": "gt(price,0)", "returns": "count"}}}"#,
        // An unbound action and an unbound function of one name: two imports of one name.
        #"{"collections": {"products": {}}, "actions": {"x": {"collection": "products", "set": {"a": 1}}}, "functions": {"x": {"collection": "products", "filter": "gt(a,0)", "returns": "count"}}}"#,
    ])
    func clashingNamesFailToStart(_ schemaText: String) async throws {
        let schema: Schema
        do {
            schema = try Schema(json: try JSON(parsing: schemaText))
        } catch is SchemaError {
            return  // refused when loading: fine
        }
        let configuration = ServerConfiguration(schema: schema, adminKey: TestCredentials.adminKey)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        await #expect(throws: SchemaError.self, "\(schemaText)") {
            try await StoreBackend.sqlite.withFreshStore { store in
                _ = try await EntityHubServer.makeApplication(
                    store: store,
                    configuration: configuration,
                    logger: logger
                )
            }
        }
    }

    /// CSDL lets only overloads of one kind share a name in a namespace: an action and a function, or
    /// an operation and a type, of one name make an invalid `$metadata` (and a CSDL JSON member that
    /// mixes kinds), so the schema should not start either.
    @Test(arguments: [
        #"{"collections": {"products": {"actions": {"x": {"set": {"a": 1}}}}, "categories": {"functions": {"x": {"test": "gt(a,0)"}}}}}"#,
        #"{"collections": {"categories": {}, "products": {"actions": {"categories": {"set": {"a": 1}}}}}}"#,
    ])
    func operationNamesClashingAcrossKindsFailToStart(_ schemaText: String) async throws {
        let schema: Schema
        do {
            schema = try Schema(json: try JSON(parsing: schemaText))
        } catch is SchemaError {
            return
        }
        let configuration = ServerConfiguration(schema: schema, adminKey: TestCredentials.adminKey)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        await #expect(throws: SchemaError.self, "\(schemaText)") {
            try await StoreBackend.sqlite.withFreshStore { store in
                _ = try await EntityHubServer.makeApplication(
                    store: store,
                    configuration: configuration,
                    logger: logger
                )
            }
        }
    }
}
