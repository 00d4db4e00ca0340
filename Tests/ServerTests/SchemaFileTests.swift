import EntityModel
import Foundation
import Server
import Testing

@Suite struct SchemaFileTests {
    func write(_ text: String, named name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlAndJSONSchemasLoadTheSame() throws {
        let yaml = """
            namespaces:
              devops:
                collections:
                  services:
                    idPrefix: SRVC
                    collections:
                      environments: {}
            collections:
              products:
                idPrefix: PRD
                idPattern: "###-###-###"
                fields:
                  name: {type: string, required: true}
                  price: {type: decimal}
                indexes: [price]
                search: [name]
                actions:
                  discount:
                    when: gt(price,10)
                    set: {price: 9.99, count: 3, onSale: true, note: null}
            """
        let fromYAML = try SchemaFile.load(path: try write(yaml, named: "schema.yaml"))
        let json = """
            {"namespaces": {"devops": {"collections": {"services": {"idPrefix": "SRVC",
                "collections": {"environments": {}}}}}},
             "collections": {"products": {"idPrefix": "PRD", "idPattern": "###-###-###",
                "fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"}},
                "indexes": ["price"], "search": ["name"],
                "actions": {"discount": {"when": "gt(price,10)",
                    "set": {"price": 9.99, "count": 3, "onSale": true, "note": null}}}}}}
            """
        let fromJSON = try SchemaFile.load(path: try write(json, named: "schema.json"))
        #expect(fromYAML == fromJSON)
        #expect(fromYAML.collections["products"]?.actions["discount"]?.set["price"]?.description == "9.99")
    }

    @Test func badYAMLNamesWhereItIsWrong() throws {
        let path = try write("collections:\n  products:\n    fields:\n      price: {type: money}\n", named: "bad.yml")
        do {
            _ = try SchemaFile.load(path: path)
            Issue.record("a schema with an unknown type loaded")
        } catch {
            #expect(error.path == "collections.products.fields.price.type")
            #expect(error.reason.contains("unknown type \"money\""))
        }
    }
}
