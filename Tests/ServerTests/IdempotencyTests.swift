import EntityModel
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// A write sent again with the same `Idempotency-Key` (a client retrying after a lost answer) is answered
/// from the first request and writes nothing more.
@Suite struct IdempotencyTests {
    private func key(_ value: String) -> HTTPFields {
        [HTTPField.Name("Idempotency-Key")!: value]
    }

    private func total(_ client: any TestClientProtocol, _ path: String) async throws -> String? {
        try await client.send(.get, "\(path)?limit=0").headers[.contentRange]
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedCreateReturnsTheFirstEntityAndCreatesNoOther(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend) { client in
            let body = #"{"name":"Once","tag":"idem-create"}"#
            let first = try await client.send(.post, "/api/v1/items", json: body, headers: key("create-1"))
            let second = try await client.send(.post, "/api/v1/items", json: body, headers: key("create-1"))
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.json["id"] == first.json["id"])
            #expect(try await total(client, "/api/v1/items") == "items 0-0/1")

            let other = try await client.send(.post, "/api/v1/items", json: body, headers: key("create-2"))
            #expect(other.json["id"] != first.json["id"])
            #expect(try await total(client, "/api/v1/items") == "items 0-0/2")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedBulkCreateReturnsTheSameEntitiesInOrder(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend) { client in
            let body = #"[{"n":1},{"n":2},{"n":3}]"#
            let first = try await client.send(.post, "/api/v1/items", json: body, headers: key("bulk"))
            // The same JSON written differently is the same request.
            let again = #"[ {"n": 1}, {"n": 2}, {"n": 3} ]"#
            let second = try await client.send(.post, "/api/v1/items", json: again, headers: key("bulk"))
            #expect(second.status == .created)
            let firstIDs = first.json.arrayValue?.map { $0["id"] }
            #expect(firstIDs?.count == 3)
            #expect(second.json.arrayValue?.map { $0["id"] } == firstIDs)
            #expect(try await total(client, "/api/v1/items") == "items 0-0/3")
        }
    }

    @Test(arguments: StoreBackend.allCases) func reusingAKeyForADifferentRequestIsRefused(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            _ = try await client.send(.post, "/api/v1/items", json: #"{"n":1}"#, headers: key("reused"))
            let different = try await client.send(.post, "/api/v1/items", json: #"{"n":2}"#, headers: key("reused"))
            #expect(different.status == .unprocessableContent)
            #expect(different.errorCode == "IDEMPOTENCY_KEY_REUSED")
            #expect(different.errors.first?.contains("reused") == true)
            #expect(try await total(client, "/api/v1/items") == "items 0-0/1")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aFailedRequestRecordsNothingSoItsKeyCanBeRetried(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend) { client in
            let invalid = try await client.send(
                .post,
                "/api/v1/products",
                json: #"{"name":"No price","price":"abc"}"#,
                headers: key("after-fix")
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.errorCode == "VALIDATION_FAILED")
            let fixed = try await client.send(
                .post,
                "/api/v1/products",
                json: #"{"name":"No price","price":"abc"}"#,
                headers: key("after-fix")
            )
            #expect(fixed.errorCode == "VALIDATION_FAILED")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedPatchAppliesOnce(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let created = try await client.send(.post, "/api/v1/items", json: #"{"n":1}"#)
            let id = try #require(created.json["id"]?.stringValue)
            let patch = #"{"n":2}"#
            let first = try await client.send(.patch, "/api/v1/items/\(id)", json: patch, headers: key("patch"))
            let second = try await client.send(.patch, "/api/v1/items/\(id)", json: patch, headers: key("patch"))
            #expect(first.json["_meta"]?["version"] == 2)
            #expect(second.json["_meta"]?["version"] == 2)
            #expect(second.headers[.eTag] == "\"2\"")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedConditionalUpdateIsAnsweredInsteadOfRefused(
        _ backend: StoreBackend
    ) async throws {
        try await withServer(backend) { client in
            let created = try await client.send(.post, "/api/v1/items", json: #"{"n":1}"#)
            let id = try #require(created.json["id"]?.stringValue)
            var headers = key("put")
            headers[.ifMatch] = "\"1\""
            let first = try await client.send(.put, "/api/v1/items/\(id)", json: #"{"n":2}"#, headers: headers)
            let second = try await client.send(.put, "/api/v1/items/\(id)", json: #"{"n":2}"#, headers: headers)
            #expect(first.status == .ok)
            #expect(second.status == .ok)
            #expect(second.headers[.eTag] == "\"2\"")
            headers[HTTPField.Name("Idempotency-Key")!] = "put-other"
            let unkeyedRetry = try await client.send(.put, "/api/v1/items/\(id)", json: #"{"n":2}"#, headers: headers)
            #expect(unkeyedRetry.status == .preconditionFailed)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedDeleteSucceedsAgain(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let created = try await client.send(.post, "/api/v1/items", json: #"{"n":1}"#)
            let id = try #require(created.json["id"]?.stringValue)
            let first = try await client.send(.delete, "/api/v1/items/\(id)", headers: key("delete"))
            let second = try await client.send(.delete, "/api/v1/items/\(id)", headers: key("delete"))
            let withoutKey = try await client.send(.delete, "/api/v1/items/\(id)")
            #expect(first.status == .noContent)
            #expect(second.status == .noContent)
            #expect(withoutKey.status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aRepeatedBulkUpdateAppliesOnce(_ backend: StoreBackend) async throws {
        try await withServer(backend) { client in
            let created = try await client.send(.post, "/api/v1/items", json: #"[{"n":1},{"n":2}]"#)
            let ids = try #require(created.json.arrayValue?.compactMap { $0["id"]?.stringValue })
            let body = "[" + ids.map { #"{"id":"\#($0)","seen":true}"# }.joined(separator: ",") + "]"
            _ = try await client.send(.put, "/api/v1/items", json: body, headers: key("bulk-put"))
            let again = try await client.send(.put, "/api/v1/items", json: body, headers: key("bulk-put"))
            #expect(again.status == .ok)
            #expect(again.json.arrayValue?.map { $0["_meta"]?["version"] } == [2, 2])
        }
    }

    @Test(arguments: StoreBackend.allCases) func concurrentRepeatsCreateExactlyOneEntity(_ backend: StoreBackend)
        async throws
    {
        try await withServer(backend) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, JSON?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await client.send(
                            .post,
                            "/api/v1/items",
                            json: #"{"race":true}"#,
                            headers: self.key("race")
                        )
                        return (response.status, response.json["id"])
                    }
                }
                var results: [(HTTPResponse.Status, JSON?)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(statuses.allSatisfy { $0.0 == .created })
            #expect(Set(statuses.compactMap(\.1)).count == 1)
            #expect(try await total(client, "/api/v1/items") == "items 0-0/1")
        }
    }

    @Test(arguments: StoreBackend.allCases, ["", String(repeating: "k", count: 256), "has space"])
    func malformedKeysAreRefused(_ backend: StoreBackend, _ value: String) async throws {
        try await withServer(backend) { client in
            let response = try await client.send(.post, "/api/v1/items", json: #"{"n":1}"#, headers: key(value))
            #expect(response.status == .badRequest)
            #expect(response.errors.first?.contains("Idempotency-Key") == true)
            #expect(try await total(client, "/api/v1/items") == "items 0-0/0")
        }
    }
}
