import EntityClient
import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// What the administration calls send and how their answers are read (`_admin/…`), against a stand-in
/// server.
@Suite struct AdminWireTests {
    static let time = "2026-12-02T10:00:00.000Z"
    static let date = Date(timeIntervalSince1970: 1_796_205_600)

    /// Every request received, as `METHOD URI BODY`.
    private func lines(_ received: Recorder<ReceivedRequest>) async -> [String] {
        await received.values.map { "\($0.method) \($0.uri) \($0.body)".trimmingCharacters(in: .whitespaces) }
    }

    @Test func usersAreListedAddedAndRemoved() async throws {
        try await withStandInServer { request, _ in
            switch request.method {
            case "GET":
                Reply.json([
                    ["id": "USR-1", "name": "alice", "role": "admin", "created_at": .string(Self.time)],
                    ["name": "bob", "role": "user", "created_at": .string(Self.time)],
                ])
            case "POST":
                Reply.json(["name": "carol", "role": "user", "created_at": .string(Self.time)], status: .created)
            default: Response(status: .noContent)
            }
        } _: { port, received in
            let admin = try EntityClient(endpoint: "http://127.0.0.1:\(port)", apiKey: "ApiKey KEY-0:s").admin
            #expect(
                try await admin.users() == [
                    UserAccount(id: "USR-1", name: "alice", role: .admin, createdAt: Self.date),
                    UserAccount(name: "bob", role: .user, createdAt: Self.date),
                ]
            )
            let carol = try await admin.addUser(name: "carol")
            #expect(carol == UserAccount(name: "carol", role: .user, createdAt: Self.date))
            try await admin.addUser(name: "dave", password: "pw", role: .admin)
            try await admin.removeUser("dave")
            try await admin.removeUser("carol", transferringTo: "erin@example.com")

            let requests = await received.values
            #expect(requests.map(\.method) == ["GET", "POST", "POST", "DELETE", "DELETE"])
            #expect(
                requests.map(\.uri) == [
                    "/api/v1/_admin/users", "/api/v1/_admin/users", "/api/v1/_admin/users", "/api/v1/_admin/users/dave",
                    "/api/v1/_admin/users/carol?transfer_to=erin%40example.com",
                ]
            )
            #expect(try JSON(parsing: Array(requests[1].body.utf8)) == ["name": "carol", "role": "user"])
            #expect(
                try JSON(parsing: Array(requests[2].body.utf8)) == ["name": "dave", "password": "pw", "role": "admin"]
            )
            #expect(requests.allSatisfy { $0.headers["authorization"] == "ApiKey KEY-0:s" })
        }
    }

    @Test func aTakenNameIsADuplicate() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.conflict, code: "DUPLICATE")
        } _: { port, received in
            let admin = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(3)).admin
            let error = try await #require(throws: EntityClientError.self) { try await admin.addUser(name: "bob") }
            #expect(error.status == 409)
            #expect(error.errorCode == "DUPLICATE")
            #expect(await received.values.count == 1)
        }
    }

    @Test func keysAreListedCreatedOnceAndRevoked() async throws {
        let key: JSON = ["id": "KEY-1", "user": "bob", "label": "ci", "created_at": .string(Self.time)]
        try await withStandInServer { request, _ in
            switch request.method {
            case "GET":
                Reply.json([key, ["id": "KEY-2", "user": "bob", "label": nil, "created_at": .string(Self.time)]])
            case "POST":
                Reply.json(
                    key.merging(["key": "KEY-1:s3cret", "authorization": "ApiKey KEY-1:s3cret"]),
                    status: .created
                )
            default: Response(status: .noContent)
            }
        } _: { port, received in
            let admin = try EntityClient(endpoint: "http://127.0.0.1:\(port)").admin
            #expect(
                try await admin.keys(of: "bob") == [
                    APIKey(id: "KEY-1", user: "bob", label: "ci", createdAt: Self.date),
                    APIKey(id: "KEY-2", user: "bob", label: nil, createdAt: Self.date),
                ]
            )
            let created = try await admin.createKey(for: "bob", label: "ci")
            #expect(created.apiKey == APIKey(id: "KEY-1", user: "bob", label: "ci", createdAt: Self.date))
            #expect(created.id == "KEY-1")
            #expect(created.key == "KEY-1:s3cret")
            #expect(created.authorization == "ApiKey KEY-1:s3cret")
            _ = try await admin.createKey(for: "bob")
            try await admin.revokeKey("KEY-1")

            #expect(
                await lines(received) == [
                    "GET /api/v1/_admin/users/bob/keys", #"POST /api/v1/_admin/users/bob/keys {"label":"ci"}"#,
                    "POST /api/v1/_admin/users/bob/keys {}", "DELETE /api/v1/_admin/keys/KEY-1",
                ]
            )
        }
    }

    @Test func theAuditLogIsReadAfterASequence() async throws {
        try await withStandInServer { _, _ in
            Reply.json([
                [
                    "sequence": 6, "at": .string(Self.time), "action": "grant", "actor": "alice", "subject": "bob",
                    "target": "products/PRD-1", "detail": "D",
                ],
                [
                    "sequence": 7, "at": .string(Self.time), "action": "login.failed", "actor": nil, "subject": "eve",
                    "target": nil, "detail": nil,
                ],
            ])
        } _: { port, received in
            let admin = try EntityClient(endpoint: "http://127.0.0.1:\(port)").admin
            let events = try await admin.audit(after: 5, limit: 10)
            #expect(
                events == [
                    AuditEntry(
                        sequence: 6,
                        at: Self.date,
                        action: "grant",
                        actor: "alice",
                        subject: "bob",
                        target: "products/PRD-1",
                        detail: "D"
                    ),
                    AuditEntry(sequence: 7, at: Self.date, action: "login.failed", subject: "eve"),
                ]
            )
            _ = try await admin.audit()
            #expect(
                await received.values.map(\.uri) == [
                    "/api/v1/_admin/audit?after=5&limit=10", "/api/v1/_admin/audit?after=0&limit=100",
                ]
            )
        }
    }

    @Test func aBadAuditWindowIsRefusedBeforeAnythingIsSent() async throws {
        let admin = try EntityClient(endpoint: "http://127.0.0.1:9").admin
        let negative = try await #require(throws: EntityClientError.self) { try await admin.audit(after: -1) }
        #expect(negative.code == .invalidArgument)
        #expect(negative.request == nil)
        let empty = try await #require(throws: EntityClientError.self) { try await admin.audit(limit: 0) }
        #expect(empty.code == .invalidArgument)
    }

    @Test func userNamesInPathsArePercentEncoded() async throws {
        try await withStandInServer { _, _ in
            Reply.json([])
        } _: { port, received in
            let admin = try EntityClient(endpoint: "http://127.0.0.1:\(port)").admin
            _ = try await admin.keys(of: "a/b c")
            #expect(await received.values.map(\.uri) == ["/api/v1/_admin/users/a%2Fb%20c/keys"])
        }
    }
}

extension JSON {
    /// This object with the members of `other` added (or replaced).
    func merging(_ other: [String: JSON]) -> JSON {
        guard case .object(let members) = self else { return self }
        return .object(members.merging(other) { _, new in new })
    }
}
