import EntityModel
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestStores
import Testing

@Suite struct RESTListAndErrorTests {
    @Test(arguments: StoreBackend.allCases) func listsPageWithContentRangeAndExactTotals(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let items = (0..<25).map { #"{"id":"P\#(String(format: "%02d", $0))","name":"n\#($0)","price":\#($0)}"# }
            let bulk = try await client.send(.post, "/api/v1/products", json: "[\(items.joined(separator: ","))]")
            #expect(bulk.status == .created)
            #expect(bulk.json.arrayValue?.count == 25)

            let page = try await client.send(.get, "/api/v1/products?ge(price,5)&ordering(-price)&limit=10&offset=10")
            #expect(page.headers[.contentRange] == "items 10-19/20")
            #expect(page.json.arrayValue?.first?["id"] == "P14")

            let count = try await client.send(.get, "/api/v1/products?limit=0")
            #expect(count.headers[.contentRange] == "items 0-0/25")
            #expect(count.json == [])

            let empty = try await client.send(.get, "/api/v1/products?eq(status,nothing)")
            #expect(empty.headers[.contentRange] == "items 0-0/0")
            #expect(empty.text == "[]")

            let selected = try await client.send(.get, "/api/v1/products?select(-price)&eq(id,P01)")
            #expect(selected.json.arrayValue?.first?["price"] == nil)
            #expect(selected.json.arrayValue?.first?["name"] == "n1")
        }
    }

    @Test(arguments: StoreBackend.allCases) func preferCountNoneSkipsTheTotalUnlessThePageTellsIt(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend) { client in
            let items = (0..<25).map { #"{"n":\#($0)}"# }
            _ = try await client.send(.post, "/api/v1/items", json: "[\(items.joined(separator: ","))]")
            let noCount: HTTPFields = [HTTPField.Name("Prefer")!: "return=minimal, count=none"]

            let full = try await client.send(.get, "/api/v1/items?limit=10&offset=5", headers: noCount)
            #expect(full.headers[.contentRange] == "items 5-14/*")
            #expect(full.headers[HTTPField.Name("Preference-Applied")!] == "count=none")
            #expect(full.json.arrayValue?.count == 10)

            let short = try await client.send(.get, "/api/v1/items?limit=10&offset=20", headers: noCount)
            #expect(short.headers[.contentRange] == "items 20-24/25")

            let counted = try await client.send(.get, "/api/v1/items?limit=10&offset=5")
            #expect(counted.headers[.contentRange] == "items 5-14/25")
        }
    }

    @Test(arguments: StoreBackend.allCases) func bulkUpdateAndDeleteAreAllOrNothing(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            _ = try await client.send(
                .post,
                "/api/v1/products",
                json: #"[{"id":"A","name":"a"},{"id":"B","name":"b"}]"#
            )
            let failed = try await client.send(
                .put,
                "/api/v1/products",
                json: #"[{"id":"A","name":"x"},{"id":"C","name":"y"}]"#
            )
            #expect(failed.status == .notFound)
            #expect(failed.errors.first?.hasPrefix("item 1:") == true)
            #expect(try await client.send(.get, "/api/v1/products/A").json["name"] == "a")

            let updated = try await client.send(
                .put,
                "/api/v1/products",
                json: #"[{"id":"A","price":1},{"id":"B","price":2}]"#
            )
            #expect(updated.status == .ok)
            #expect(updated.json.arrayValue?.map { $0["price"] } == [1, 2])

            let deleted = try await client.send(.delete, "/api/v1/products", json: #"[{"id":"A"},{"id":"B"}]"#)
            #expect(deleted.status == .noContent)
            #expect(try await client.send(.get, "/api/v1/products?limit=0").headers[.contentRange] == "items 0-0/0")
        }
    }

    @Test(arguments: [
        ("POST", "/api/v1/products", #"{"name": "a",}"# as String?, HTTPResponse.Status.badRequest, "INVALID_JSON"),
        ("POST", "/api/v1/products", "{\"name\": \"\u{FFFD}\"", .badRequest, "INVALID_JSON"),
        ("POST", "/api/v1/products", String(repeating: "[", count: 10_000), .badRequest, "INVALID_JSON"),
        ("POST", "/api/v1/products", #"{"price": "abc"}"#, .unprocessableContent, "VALIDATION_FAILED"),
        ("GET", "/api/v1/products?foo(bar)", nil, .badRequest, "INVALID_RQL"),
        ("GET", "/api/v1/products?eq(price,abc)", nil, .badRequest, "INVALID_RQL"),
        ("GET", "/api/v1/products?limit=1001", nil, .badRequest, "INVALID_REQUEST"),
        ("GET", "/api/v1/nothing", nil, .notFound, "NOT_FOUND"),
        ("GET", "/api/v1/products/P404", nil, .notFound, "NOT_FOUND"),
        ("GET", "/elsewhere", nil, .notFound, "NOT_FOUND"),
        ("PATCH", "/api/v1/products", #"{}"#, .methodNotAllowed, "METHOD_NOT_ALLOWED"),
        ("POST", "/api/v1/products/P1", #"{}"#, .methodNotAllowed, "METHOD_NOT_ALLOWED"),
    ])
    func badRequestsGetAConnectErrorBody(
        method: String,
        uri: String,
        body: String?,
        status: HTTPResponse.Status,
        code: String
    ) async throws {
        for backend in StoreBackend.allCases {
            try await withServer(backend) { client in
                let response = try await client.send(HTTPRequest.Method(method)!, uri, json: body)
                #expect(response.status == status, "\(backend)")
                #expect(response.errorCode == code, "\(backend)")
                #expect(!response.errors.isEmpty)
                #expect(response.json["status_code"] == nil)
                #expect(try await client.send(.get, "/health").status == .ok)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func methodNotAllowedNamesTheAllowedMethods(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let response = try await client.send(.patch, "/api/v1/products")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, POST, PUT, DELETE")
            let health = try await client.send(.delete, "/health")
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET")
        }
    }

    @Test(arguments: StoreBackend.allCases) func headAnswersLikeGetWithoutABody(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let response = try await client.send(.head, "/api/v1/products")
            #expect(response.status == .ok)
            #expect(response.headers[.contentRange] == "items 0-0/0")
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func invalidJSONNamesLineAndColumn(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let response = try await client.send(.post, "/api/v1/products", json: "{\n  \"name\": tru\n}")
            #expect(response.errors.first?.contains("line 2, column 11") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases) func invalidUTF8IsRefused(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            var body = ByteBuffer(string: #"{"name": ""#)
            body.writeBytes([0xC3, 0x28])
            body.writeString(#""}"#)
            let response = try await client.execute(
                uri: "/api/v1/products",
                method: .post,
                headers: [.contentType: "application/json"],
                body: body
            )
            #expect(response.status == .badRequest)
            #expect(response.errors.first?.contains("UTF-8") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases) func duplicateIDIsAConflict(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            _ = try await client.send(.post, "/api/v1/products", json: #"{"id":"D1","name":"a"}"#)
            let again = try await client.send(.post, "/api/v1/products", json: #"{"id":"D1","name":"b"}"#)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "DUPLICATE_ID")
        }
    }

    @Test(arguments: StoreBackend.allCases) func bodiesAboveTheLimitAre413(_ backend: StoreBackend) async throws {
        try await withServer(backend, limits: .init(maximumBodySize: 1000)) { client in
            let big = #"{"name":""# + String(repeating: "x", count: 5000) + #""}"#
            let response = try await client.send(.post, "/api/v1/products", json: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "PAYLOAD_TOO_LARGE")
        }
    }

    @Test(arguments: StoreBackend.allCases) func bodiesMustBeJSON(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let response = try await client.send(
                .post,
                "/api/v1/products",
                json: "name=a",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(response.status == .unsupportedMediaType)
            #expect(response.errorCode == "UNSUPPORTED_MEDIA_TYPE")
        }
    }

    @Test(arguments: StoreBackend.allCases) func openAPIDocumentDescribesTheSchemaCollections(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let response = try await client.send(.get, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.json["openapi"] == "3.1.0")
            let paths = response.json["paths"]?.objectValue ?? [:]
            #expect(response.json["servers"] == [["url": "/api/v1"]])
            #expect(paths["/products"] != nil)
            #expect(paths["/products/{id}/endsale"] != nil)
            #expect(paths["/products/discontinue"] != nil)
            #expect(paths["/devops/services/{servicesId}/environments"] != nil)
        }
    }
}
