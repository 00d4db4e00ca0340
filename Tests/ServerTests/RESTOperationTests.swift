import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// The schema with references, parameters and functions.
let referenceSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/odata-schema.json")

@Suite struct RESTOperationTests {
    @Test(arguments: StoreBackend.allCases) func actionsTakeTheirParametersFromTheBody(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend, schema: referenceSchemaURL) { client in
            let created = try await client.send(.post, "/api/v1/products", json: #"{"name":"A","price":10,"stock":1}"#)
            let id = try #require(created.json["id"]?.stringValue)
            let repriced = try await client.send(.post, "/api/v1/products/\(id)/reprice", json: #"{"price":7.5}"#)
            #expect(repriced.status == .ok)
            #expect(repriced.text.contains(#""price":7.5"#))

            let missing = try await client.send(.post, "/api/v1/products/\(id)/reprice")
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "INVALID_REQUEST")
            #expect(missing.errors == ["parameter price: required parameter is missing"])
            let notObject = try await client.send(.post, "/api/v1/products/\(id)/reprice", json: "[1]")
            #expect(notObject.status == .badRequest)

            let restocked = try await client.send(.post, "/api/v1/products/restock", json: #"{"below":5,"to":9}"#)
            #expect(restocked.json == ["updated": 1])
            let reset = try await client.send(.post, "/api/v1/resetStock?eq(name,A)", json: #"{"to":0}"#)
            #expect(reset.json == ["updated": 1])
            #expect(try await client.send(.get, "/api/v1/products/\(id)").json["stock"] == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func functionsAreReadWithQueryStringParameters(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend, schema: referenceSchemaURL) { client in
            var ids: [String] = []
            for (name, price) in [("a", 5), ("b", 10), ("c", 20)] {
                let created = try await client.send(
                    .post,
                    "/api/v1/products",
                    json: #"{"name":"\#(name)","price":\#(price)}"#
                )
                ids.append(try #require(created.json["id"]?.stringValue))
            }
            let cheap = try await client.send(.get, "/api/v1/products/\(ids[1])/isCheap?max=10")
            #expect(cheap.status == .ok)
            #expect(cheap.json == ["value": true])
            #expect(try await client.send(.get, "/api/v1/products/\(ids[2])/isCheap?max=10").json == ["value": false])
            let bad = try await client.send(.get, "/api/v1/products/\(ids[2])/isCheap?max=ten")
            #expect(bad.status == .badRequest)
            #expect(bad.errors == ["parameter max: 'ten' is not a number"])
            let posted = try await client.send(.post, "/api/v1/products/\(ids[2])/isCheap?max=10")
            #expect(posted.status == .methodNotAllowed)
            #expect(posted.headers[.allow] == "GET")

            let list = try await client.send(.get, "/api/v1/products/cheap?max=10&ordering(-price)&limit=1")
            #expect(list.status == .ok)
            #expect(list.json.arrayValue?.map { $0["name"] } == ["b"])
            #expect(list.headers[.contentRange] == "items 0-0/2")
            let narrowed = try await client.send(.get, "/api/v1/products/cheap?max=10&eq(name,a)")
            #expect(narrowed.json.arrayValue?.count == 1)

            #expect(try await client.send(.get, "/api/v1/countCheap?max=10").json == ["count": 2])
            #expect(try await client.send(.get, "/api/v1/products/named?a=a&b=c").json == ["count": 2])
            let unknown = try await client.send(.get, "/api/v1/products/\(ids[0])/isCheap?max=1&min=0")
            #expect(unknown.errors == ["parameter min: isCheap has no such parameter; it takes max"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func referencesAnswer400And409(_ backend: StoreBackend) async throws {
        try await withServer(backend, schema: referenceSchemaURL) { client in
            let missing = try await client.send(.post, "/api/v1/products", json: #"{"name":"A","categoryId":"C1"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.errors == ["categoryId: categories 'C1' does not exist"])
            _ = try await client.send(.post, "/api/v1/categories", json: #"{"id":"C1","title":"Fruit"}"#)
            let created = try await client.send(.post, "/api/v1/products", json: #"{"name":"A","categoryId":"C1"}"#)
            #expect(created.status == .created)
            let refused = try await client.send(.delete, "/api/v1/categories/C1")
            #expect(refused.status == .conflict)
            #expect(refused.errors.first?.contains("still referenced by products") == true)
        }
    }

    @Test func theOpenAPIDocumentDescribesReferencesItemsAndOperations() async throws {
        try await withServer(.sqlite, schema: referenceSchemaURL) { client in
            let document = try await client.send(.get, "/api/v1/openapi.json").json
            let product = document["components"]?["schemas"]?["Products"]?["properties"]
            #expect(product?["tags"] == ["type": "array", "items": ["type": "string"]])
            #expect(product?["categoryId"]?["type"] == "string")
            let paths = document["paths"]
            let reprice = paths?["/products/{id}/reprice"]?["post"]?["requestBody"]?["content"]?["application/json"]?[
                "schema"
            ]
            #expect(reprice?["required"] == ["price"])
            #expect(reprice?["properties"]?["price"] == ["type": "number"])
            let isCheap = paths?["/products/{id}/isCheap"]?["get"]?["parameters"]?.arrayValue?.first
            #expect(isCheap?["name"] == "max")
            #expect(isCheap?["required"] == true)
            #expect(paths?["/countCheap"]?["get"] != nil)
            #expect(paths?["/resetStock"]?["post"] != nil)
            #expect(paths?["/products/cheap"]?["get"] != nil)
        }
    }
}
