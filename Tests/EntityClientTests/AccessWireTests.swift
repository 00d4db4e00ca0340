import EntityClient
import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// What sharing sends and how its answers are read (`{path}/_access`), against a stand-in server.
@Suite struct AccessWireTests {
    static let entries: JSON = [
        ["user": "alice", "right": "C", "grant_id": nil],
        ["user": "bob", "right": "DaR", "grant_id": "GRT-1"],
        ["user": "carol", "right": nil, "grant_id": nil],
    ]

    @Test func theListIsReadFromTheEntitysAccessPath() async throws {
        try await withStandInServer { _, _ in
            Reply.json(Self.entries)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let entries = try await client.collection("products").resource("PRD-1").access.list()
            #expect(
                entries == [
                    AccessEntry(user: "alice", right: .creator, grantID: nil),
                    AccessEntry(user: "bob", right: .delete, grantID: "GRT-1"),
                    AccessEntry(user: "carol", right: nil, grantID: nil),
                ]
            )
            let request = try #require(await received.values.first)
            #expect(request.method == "GET")
            #expect(request.uri == "/api/v1/products/PRD-1/_access")
        }
    }

    @Test func nestedEntitiesShareThroughTheirWholePath() async throws {
        try await withStandInServer { request, _ in
            request.method == "GET" ? Reply.json([]) : Response(status: .noContent)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let environment = client.namespace("devops")["services"]["SRVC-1"].collection("environments")["ENV-1"]
            #expect(try await environment.access.list().isEmpty)
            try await environment.access.revoke("ann lee@example.com")
            #expect(
                await received.values.map(\.uri) == [
                    "/api/v1/devops/services/SRVC-1/environments/ENV-1/_access",
                    "/api/v1/devops/services/SRVC-1/environments/ENV-1/_access/ann%20lee@example.com",
                ]
            )
            #expect(await received.values.map(\.method) == ["GET", "DELETE"])
        }
    }

    @Test func aGrantPutsTheRightsCodeAndReadsTheGrant() async throws {
        let answer: JSON = [
            "id": "GRT-7", "entity": "products/PRD-1", "user": "bob", "right": "U", "granted_by": "alice",
            "granted_at": "2026-12-02T10:00:00.000Z",
        ]
        try await withStandInServer { _, _ in
            Reply.json(answer)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let grant = try await client["products"]["PRD-1"].access.grant("bob", .update)
            #expect(grant.id == "GRT-7")
            #expect(grant.entity == "products/PRD-1")
            #expect(grant.user == "bob")
            #expect(grant.right == .update)
            #expect(grant.grantedBy == "alice")
            #expect(grant.grantedAt == Date(timeIntervalSince1970: 1_796_205_600))

            let request = try #require(await received.values.first)
            #expect(request.method == "PUT")
            #expect(request.uri == "/api/v1/products/PRD-1/_access/bob")
            #expect(try JSON(parsing: Array(request.body.utf8)) == ["right": "U"])
            #expect(request.headers["content-type"] == "application/json")
        }
    }

    @Test func aRevokeWithoutAGrantIsNotFound() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.notFound, code: "NOT_FOUND")
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].access.revoke("bob")
            }
            #expect(error.code == .notFound)
            #expect(error.request?.description.hasPrefix("DELETE ") == true)
        }
    }

    @Test(arguments: [(401, "UNAUTHORIZED"), (403, "FORBIDDEN")])
    func refusalsAreServerErrorsWithTheirStatus(status: Int, code: String) async throws {
        try await withStandInServer { _, _ in
            Reply.error(HTTPResponse.Status(code: status), code: code)
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", apiKey: "ApiKey KEY-1:wrong")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].access.list()
            }
            #expect(error.code == .server)
            #expect(error.status == status)
            #expect(error.errorCode == code)
        }
    }

    @Test func anUnknownRightInTheAnswerIsAnInvalidResponse() async throws {
        try await withStandInServer { _, _ in
            Reply.json([["user": "bob", "right": "x", "grant_id": nil]])
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].access.list()
            }
            #expect(error.code == .invalidResponse)
            #expect(error.status == 200)
        }
    }
}
