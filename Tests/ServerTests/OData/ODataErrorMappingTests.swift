import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestStores
import Testing

/// The one mapping of errors under `/odata`: every `EntityError` code the adapter can meet → its
/// status and `{"error": {"code", "message"}}`; syntax errors with the position in the decoded option
/// value; 501, 404, 405 with `Allow`, 406, 415; never a REST body, unknown paths included.
struct ODataErrorMappingTests {
    /// ``OD/schema`` plus an action with a condition (for `actionConditionFailed`).
    static let schema = OD.schema.replacingOccurrences(
        of: #""fixed": {"strict": true, "fields": {"label": {"type": "string"}}}"#,
        with: #"""
            "fixed": {"strict": true, "fields": {"label": {"type": "string"}, "state": {"type": "string"}},
                      "actions": {"close": {"when": "eq(state,open)", "set": {"state": "closed"}}}}
            """#
    )

    @Test(arguments: StoreBackend.allCases)
    func entityErrorsMapToODataStatuses(_ backend: StoreBackend) async throws {
        try await withODataServer(backend, schema: Self.schema) { client in
            let category = try await client.restCreate("categories", #"{"title": "tools"}"#)
            let product = try await client.restCreate(
                "products",
                #"{"name": "hammer", "price": 5, "categoryId": "\#(category)"}"#
            )
            let fixed = try await client.restCreate("fixed", #"{"label": "a", "state": "new"}"#)

            // validationFailed → 400: a required property missing, a value of the wrong type, an
            // undeclared property of a strict type, a reference to nothing.
            for body in [
                #"{"price": 1}"#, #"{"name": "x", "price": "cheap"}"#, #"{"name": "x", "categoryId": "nothing"}"#,
            ] {
                let response = try await client.od(.post, "products", body)
                expectODataError(response, .badRequest, "POST products \(body)")
            }
            expectODataError(
                try await client.od(.post, "fixed", #"{"label": "a", "extra": 1}"#),
                .badRequest,
                "undeclared property of a strict type"
            )
            // invalidRequest → 400: a body that is not JSON, or not an object.
            for body in [#"{"name": "#, "[1, 2]", "42"] {
                expectODataError(try await client.od(.post, "products", body), .badRequest, "POST body \(body)")
            }
            // notFound → 404.
            expectODataError(
                try await client.od(.get, OD.key("products", "PRD-none")),
                .notFound,
                code: "NotFound",
                "GET a missing key"
            )
            expectODataError(
                try await client.od(.delete, OD.key("products", "PRD-none")),
                .notFound,
                "DELETE a missing key"
            )
            // duplicateID → 409.
            expectODataError(
                try await client.od(.post, "products", #"{"id": "\#(product)", "name": "again"}"#),
                .conflict,
                "POST an existing id"
            )
            // conflict → 409: deleting a category a product still references (onDelete restrict).
            expectODataError(
                try await client.od(.delete, OD.key("categories", category)),
                .conflict,
                "DELETE a referenced category"
            )
            // actionConditionFailed → 409.
            expectODataError(
                try await client.od(.post, OD.key("fixed", fixed) + "/EntityHub.close", "{}"),
                .conflict,
                "an action whose condition fails"
            )
            // versionMismatch → 412.
            var stale = HTTPFields()
            stale[.ifMatch] = OD.etag(7)
            expectODataError(
                try await client.od(.patch, OD.key("products", product), #"{"price": 6}"#, headers: stale),
                .preconditionFailed,
                code: "PreconditionFailed",
                "a stale If-Match"
            )
            // unauthenticated → 401 with WWW-Authenticate, on every path (unknown ones too).
            for path in ["products", OD.key("products", product), "nothing", "$batch"] {
                let response = try await client.od(.get, path, authorization: "ApiKey SU-000:wrong")
                expectODataError(response, .unauthorized, code: "Unauthorized", "bad key on \(path)")
                #expect(response.headers[.wwwAuthenticate] != nil, "\(path)")
            }
            // forbidden → 403: a user who may read but not change.
            let reader = try await client.makeUser("rhea")
            let grant = try await client.send(
                .put,
                "/api/v1/products/\(product)/_access/rhea",
                json: #"{"right": "r"}"#
            )
            #expect(grant.status == .ok, "\(grant.text)")
            #expect(try await client.od(.get, OD.key("products", product), authorization: reader).status == .ok)
            expectODataError(
                try await client.od(.patch, OD.key("products", product), #"{"price": 1}"#, authorization: reader),
                .forbidden,
                code: "Forbidden",
                "PATCH with r"
            )
            expectODataError(
                try await client.od(.delete, OD.key("products", product), authorization: reader),
                .forbidden,
                "DELETE with r"
            )
            // Anonymous writes: 401.
            expectODataError(
                try await client.od(.post, "products", #"{"name": "x"}"#, authorization: nil),
                .unauthorized,
                "anonymous POST"
            )
            // Nothing of the failed writes was stored.
            #expect(try await client.restTotal("products") == 1)
            #expect(try await client.restTotal("categories") == 1)
        }
    }

    /// Syntax errors: 400 `SyntaxError` naming the option, with `innererror.position` counted in the
    /// option's decoded value (percent-encoding and `+` do not shift it) and the token found there.
    @Test(arguments: StoreBackend.allCases)
    func syntaxErrorsCarryTheDecodedPosition(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            // (query, option, position in the decoded value, token)
            let cases: [(String, String, Int, String)] = [
                ("$filter=name eq 'a' xor 1", "$filter", 12, "xor"),
                ("$filter=name%20eq%20%27a%27%20xor%201", "$filter", 12, "xor"),
                ("$filter=name+eq+'a'+xor+1", "$filter", 12, "xor"),
                ("%24filter=name%20eq%20%27%C3%A4%C3%A4%27%20xor%201", "$filter", 13, "xor"),
                ("$orderby=name%20sideways", "$orderby", 5, "sideways"),
                ("$top=ten", "$top", 0, "ten"),
            ]
            for (query, option, position, token) in cases {
                let response = try await client.od(.get, "products?\(query)")
                expectODataError(response, .badRequest, "\(query)")
                let error = response.json["error"]
                #expect(
                    ["SyntaxError", "BadRequest"].contains(error?["code"]?.stringValue ?? ""),
                    "\(query): \(response.text)"
                )
                #expect(error?["target"]?.stringValue == option, "\(query): \(response.text)")
                #expect(
                    error?["innererror"]?["position"] == .integer(Int64(position)),
                    "\(query): expected position \(position): \(response.text)"
                )
                #expect(
                    error?["message"]?.stringValue?.contains("'\(token)'") == true,
                    "\(query): the token: \(response.text)"
                )
            }
            // An unknown property in an option is 400 (the path's unknown names are 404).
            let unknown = try await client.od(.get, "products?$filter=nothing eq 1")
            #expect(unknown.status == .badRequest || unknown.status == .ok, "open types may filter on any name")
            expectODataErrorBody(
                try await client.od(.get, "products?$select=name,,price"),
                "an empty $select item"
            )
        }
    }

    /// What EntityHub parses but does not implement: 501 `NotImplemented`.
    @Test(arguments: StoreBackend.allCases)
    func unsupportedOptionsAre501(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            for query in [
                "$apply=groupby((name))", "$compute=price%20mul%202%20as%20double",
                "$filter=geo.distance(location,geography'SRID=4326;Point(0%200)')%20lt%2010",
            ] {
                let response = try await client.od(.get, "products?\(query)")
                expectODataError(response, .notImplemented, "\(query)")
            }
        }
    }

    /// 404 for names the path does not know, 405 with `Allow`, 406, 415, 400 for an old version; all
    /// with the OData error body, whatever the path and method.
    @Test(arguments: StoreBackend.allCases)
    func protocolErrors(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let product = try await client.restCreate("products", #"{"name": "saw", "price": 3}"#)
            let key = OD.key("products", product)
            for path in [
                "nothing", "nothing('x')", "products/nothing", "\(key)/nothing", "\(key)/EntityHub.nothing()",
                "EntityHub.nothing()", "samples_parts", "nothing/deeper/still",
            ] {
                let response = try await client.od(.get, path)
                expectODataError(response, .notFound, "GET \(path)")
            }
            // Paths that do not parse: 400 (or 404), an OData error either way.
            for path in ["$nothing", "products/$count/more", "products(", "\(key)/name/$value/more"] {
                let response = try await client.od(.get, path)
                #expect(response.status == .badRequest || response.status == .notFound, "GET \(path)")
                expectODataErrorBody(response, "GET \(path)")
            }

            let allowedCases: [(HTTPRequest.Method, String, [String])] = [
                (.delete, "products", ["GET", "POST"]),
                (.put, "products", ["GET", "POST"]),
                (.post, "$metadata", ["GET"]),
                (.delete, "", ["GET"]),
                (.get, "$batch", ["POST"]),
                (.post, key, ["GET", "PATCH", "PUT", "DELETE"]),
                (.post, "products/$count", ["GET"]),
            ]
            for (method, path, allowed) in allowedCases {
                let response = try await client.od(method, path, method == .get || method == .delete ? nil : "{}")
                expectODataError(response, .methodNotAllowed, "\(method) \(path)")
                let allow = Set(
                    (response.headers[.allow] ?? "").split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                )
                #expect(allow == Set(allowed), "\(method) \(path): Allow \(allow)")
            }
            // GET of an action, POST of a function.
            let getAction = try await client.od(.get, "\(key)/EntityHub.reprice")
            expectODataError(getAction, .methodNotAllowed, "GET of an action")
            #expect(getAction.headers[.allow] == "POST", "GET of an action: \(getAction.headers)")
            let postFunction = try await client.od(.post, "\(key)/EntityHub.isCheap(max=1)", "{}")
            expectODataError(postFunction, .methodNotAllowed, "POST of a function")
            #expect(postFunction.headers[.allow] == "GET", "POST of a function: \(postFunction.headers)")
            // An action called like a function (with parentheses): still 405, and a 405 names what is allowed.
            // An action called with function syntax does not parse (400); a path error names no option.
            let calledAction = try await client.od(.get, "\(key)/EntityHub.reprice(price=1)")
            #expect(calledAction.status == .badRequest || calledAction.status == .methodNotAllowed)
            expectODataErrorBody(calledAction, "GET of an action with parameters")
            #expect(calledAction.json["error"]?["target"] == nil, "\(calledAction.text)")
            #expect(
                calledAction.json["error"]?["message"]?.stringValue?.contains("of the path") == true,
                "\(calledAction.text)"
            )

            // 406: only JSON.
            let xml = try await client.od(.get, "products", accept: "application/xml")
            expectODataError(xml, .notAcceptable, "Accept: application/xml")
            let formatXML = try await client.od(.get, "products?$format=atom")
            expectODataErrorBody(formatXML, "$format=atom")
            // 415: bodies must be JSON; a batch needs its multipart or JSON type.
            for type in ["text/plain", "application/xml", "application/x-www-form-urlencoded"] {
                let response = try await client.od(.post, "products", #"{"name": "x"}"#, contentType: type)
                expectODataError(response, .unsupportedMediaType, "POST \(type)")
                let patch = try await client.od(.patch, key, #"{"price": 1}"#, contentType: type)
                expectODataError(patch, .unsupportedMediaType, "PATCH \(type)")
            }
            let noType = try await client.execute(
                uri: "\(OD.base)/$batch",
                method: .post,
                headers: [.authorization: TestCredentials.adminAuthorization],
                body: ByteBuffer(string: "{}")
            )
            expectODataError(noType, .unsupportedMediaType, "$batch without Content-Type")
            // Below 4.0: 400.
            var old = HTTPFields()
            old[.odataMaxVersionHeader] = "3.0"
            expectODataError(try await client.od(.get, "products", headers: old), .badRequest, "OData-MaxVersion 3.0")

            #expect(try await client.restTotal("products") == 1, "no failed request wrote")
        }
    }

    /// Every path and method under `/odata`, including ones no route knows, answers errors with the
    /// OData body: never the REST `error_code` body or a trace.
    @Test(arguments: StoreBackend.allCases)
    func neverARESTBodyUnderOData(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let methods: [HTTPRequest.Method] = [
                .get, .post, .put, .patch, .delete, .head, .options, HTTPRequest.Method("MERGE")!,
                HTTPRequest.Method("TRACE")!,
            ]
            for method in methods {
                for path in ["nothing", "products('x')/a/b/c", "$nothing", "%ZZ", "products(", "products?$filter=("] {
                    let response = try await client.od(method, path, method == .post ? "{}" : nil)
                    let context = "\(method) /odata/\(path)"
                    #expect(response.status.code >= 400, "\(context): \(response.status)")
                    #expect(!response.text.contains("Fatal") && !response.text.contains(".swift:"), "\(context)")
                    if method == .head {
                        #expect(response.body.readableBytes == 0, "\(context): HEAD with a body")
                    } else {
                        expectODataErrorBody(response, context)
                    }
                }
            }
            // Outside the prefix REST answers as ever, and `/odatax` is not OData.
            let outside = try await client.send(.get, "/odatax/products")
            #expect(outside.status == .notFound)
            #expect(outside.json["error"]?["code"] == nil || outside.json["error_code"] != nil, "\(outside.text)")
        }
    }
}

extension HTTPField.Name {
    static let odataMaxVersionHeader = HTTPField.Name("OData-MaxVersion")!
}
