import EntityClient
import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// What sign-in sends and how its answers are read (`_auth/…`), against a stand-in server.
@Suite struct SignInWireTests {
    static let session: JSON = [
        "token": "tok-123", "token_type": "Bearer", "expires_at": "2026-12-02T10:00:00.000Z",
        "user": ["name": "alice", "role": "user"],
    ]

    @Test func loginPostsTheCredentialsAndReadsTheSession() async throws {
        try await withStandInServer { _, _ in
            Reply.json(Self.session)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let session = try await client.login(username: "alice", password: "pa ss\"word")
            #expect(session.token == "tok-123")
            #expect(session.tokenType == "Bearer")
            #expect(session.expiresAt == Date(timeIntervalSince1970: 1_796_205_600))
            #expect(session.user == UserIdentity(name: "alice", role: .user))
            #expect(session.authorization == "Bearer tok-123")

            let request = try #require(await received.values.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/api/v1/_auth/login")
            #expect(request.headers["authorization"] == nil)
            #expect(try JSON(parsing: Array(request.body.utf8)) == ["username": "alice", "password": "pa ss\"word"])
        }
    }

    @Test func aSignedInClientSendsTheBearerTokenAndLogsOut() async throws {
        try await withStandInServer { request, _ in
            switch request.path {
            case "/api/v1/_auth/me": Reply.json(["name": "alice", "role": "admin"])
            default: Response(status: .noContent)
            }
        } _: { port, received in
            let anonymous = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let session = try JSONDecoder.entityDefault.decodeSession(Self.session)
            let alice = anonymous.signedIn(with: session)
            #expect(alice.authorization == "Bearer tok-123")
            #expect(anonymous.authorization == nil)
            #expect(alice.endpoint == anonymous.endpoint)

            #expect(try await alice.me() == UserIdentity(name: "alice", role: .admin))
            try await alice.logout()
            let byToken = try EntityClient(endpoint: "http://127.0.0.1:\(port)", bearerToken: "tok-9")
            _ = try await byToken.me()

            let requests = await received.values
            #expect(
                requests.map { "\($0.method) \($0.uri)" } == [
                    "GET /api/v1/_auth/me", "POST /api/v1/_auth/logout", "GET /api/v1/_auth/me",
                ]
            )
            #expect(
                requests.map { $0.headers["authorization"] } == ["Bearer tok-123", "Bearer tok-123", "Bearer tok-9"]
            )
        }
    }

    @Test func aWrongPasswordIs401AndNeverRetried() async throws {
        try await withStandInServer { _, _ in
            Reply.json(
                ["error_code": "UNAUTHORIZED", "errors": ["invalid username or password"]],
                status: .unauthorized,
                headers: [.wwwAuthenticate: "ApiKey, Bearer"]
            )
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(3))
            let error = try await #require(throws: EntityClientError.self) {
                try await client.login(username: "alice", password: "nope")
            }
            #expect(error.code == .server)
            #expect(error.status == 401)
            #expect(error.errorCode == "UNAUTHORIZED")
            #expect(error.errors == ["invalid username or password"])
            #expect(await received.values.count == 1)
        }
    }

    @Test func tooManyFailedLoginsAre429AndNeverRetried() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.tooManyRequests, code: "TOO_MANY_REQUESTS", retryAfter: "0")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(3))
            let error = try await #require(throws: EntityClientError.self) {
                try await client.login(username: "alice", password: "nope")
            }
            #expect(error.status == 429)
            #expect(await received.values.count == 1)
        }
    }

    @Test func meOfAnAnonymousClientIs401() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.unauthorized, code: "UNAUTHORIZED")
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) { try await client.me() }
            #expect(error.status == 401)
            #expect(error.code == .server)
        }
    }
}

extension JSONDecoder {
    /// The decoder the client uses by default.
    static var entityDefault: JSONDecoder { EntityCoding.makeDecoder() }

    /// A session decoded from its wire form.
    func decodeSession(_ value: JSON) throws -> Session {
        try decode(Session.self, from: Data(value.description.utf8))
    }
}
