import EntityModel
import EntityService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Server
import TestStores

/// The schema of the access tests: one collection of each read default (see the file).
let accessSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/access-schema.json")

/// The clock of `Accounts`, which a test moves forward (to expire session tokens and login throttles).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return Date().addingTimeInterval(offset)
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        offset += seconds
        lock.unlock()
    }
}

/// Runs `body` against an in-process EntityHub serving the access schema over a fresh store of
/// `backend`, with the test admin key and `clock` as the accounts' clock.
func withAccessServer(
    _ backend: StoreBackend,
    clock: TestClock,
    sessionLifetime: TimeInterval = 60 * 60,
    loginFailureLimit: Int = 5,
    loginFailureWindow: TimeInterval = 60,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let accounts = Accounts.Configuration(
        bcryptCost: 4,
        sessionLifetime: sessionLifetime,
        loginFailureLimit: loginFailureLimit,
        loginFailureWindow: loginFailureWindow,
        now: { clock.now() }
    )
    try await withServer(backend, schema: accessSchemaURL, accounts: accounts, body)
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body, with `authorization` as the `Authorization` header
    /// (`nil`: anonymous).
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        authorization: String?
    ) async throws -> TestResponse {
        try await send(method, uri, json: json, authorization: authorization)
    }

    /// Sends a request as the test admin.
    func admin(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> TestResponse {
        try await call(method, uri, json: json, authorization: TestCredentials.adminAuthorization)
    }

    /// Adds a user through the admin API and returns the `Authorization` header of a new API key of theirs.
    func makeUser(_ name: String, password: String? = nil, role: String = "user") async throws -> String {
        var body: JSON = ["name": .string(name), "role": .string(role)]
        if let password { body = ["name": .string(name), "role": .string(role), "password": .string(password)] }
        let user = try await admin(.post, "/api/v1/_admin/users", json: body.serialized())
        guard user.status == .created else {
            throw FixtureError("adding user \(name): \(user.status) \(String(buffer: user.body))")
        }
        return try await makeKey(for: name).authorization
    }

    /// Grants `right` (a code: D, U or r) on the entity at `path` to `user`, as `authorization`.
    func share(_ path: String, with user: String, _ right: String, authorization: String?) async throws -> TestResponse
    {
        try await call(.put, "\(path)/_access/\(user)", json: #"{"right": "\#(right)"}"#, authorization: authorization)
    }

    /// Creates an API key for `user`; returns its id and `Authorization` header.
    func makeKey(for user: String, label: String? = nil) async throws -> (id: String, authorization: String) {
        let body = label.map { JSON.object(["label": .string($0)]).serialized() }
        let key = try await admin(.post, "/api/v1/_admin/users/\(user)/keys", json: body)
        guard key.status == .created, let id = key.json["id"]?.stringValue,
            let authorization = key.json["authorization"]?.stringValue
        else {
            throw FixtureError("creating a key for \(user): \(key.status) \(String(buffer: key.body))")
        }
        return (id, authorization)
    }

    /// Signs `user` in with a password and returns the `Authorization: Bearer …` header value.
    func login(_ user: String, password: String) async throws -> String {
        let body = JSON.object(["username": .string(user), "password": .string(password)]).serialized()
        let session = try await call(.post, "/api/v1/_auth/login", json: body, authorization: nil)
        guard session.status == .ok, let token = session.json["token"]?.stringValue else {
            throw FixtureError("login of \(user): \(session.status) \(String(buffer: session.body))")
        }
        return "Bearer \(token)"
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestResponse {
    /// The total of `Content-Range: items a-b/TOTAL`, or `nil` when the header is missing or has none.
    var total: Int? {
        guard let range = headers[.contentRange], let slash = range.lastIndex(of: "/") else { return nil }
        return Int(range[range.index(after: slash)...])
    }

    /// The ids of a JSON array of entities.
    var ids: Set<String> {
        Set(json.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
    }

    /// Whether `value` appears anywhere in the body or in any header value.
    func reveals(_ value: String) -> Bool {
        String(buffer: body).contains(value) || headers.contains { $0.value.contains(value) }
    }
}

/// A random lower-case word (one full-text search token).
func randomWord(_ length: Int = 12) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    return String((0..<length).map { _ in letters.randomElement()! })
}
