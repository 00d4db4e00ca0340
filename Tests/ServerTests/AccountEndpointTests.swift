import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// `_auth` (login, logout, me) and `_admin` (users, keys, audit) over REST, on every backend.
struct AccountEndpointTests {
    static let password = "s3cret-Passw0rd"

    @Test(arguments: StoreBackend.allCases)
    func loginOpensASessionAndWrongCredentialsGetTheSameConnectError(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock, sessionLifetime: 600) { client in
            _ = try await client.makeUser("alice", password: Self.password)
            let body = #"{"username": "alice", "password": "\#(Self.password)"}"#
            let login = try await client.call(.post, "/api/v1/_auth/login", json: body, authorization: nil)
            #expect(login.status == .ok, "\(backend): \(login.text)")
            #expect(login.json["token_type"] == "Bearer")
            #expect(
                login.json["user"] == [
                    "id": login.json["user"]?["id"] ?? .null, "name": "alice", "role": "user",
                    "created_at": login.json["user"]?["created_at"] ?? .null,
                ]
            )
            let aliceID = try #require(login.json["user"]?["id"]?.stringValue)
            #expect(aliceID.hasPrefix("USR-") && aliceID.count == 36, "\(aliceID)")
            let token = try #require(login.json["token"]?.stringValue)
            let expiresAt = try #require(login.json["expires_at"]?.stringValue)
            let expected = clock.now().addingTimeInterval(600)
            let expiry = try #require(ISO8601DateFormatter.withFractions.date(from: expiresAt), "\(expiresAt)")
            #expect(abs(expiry.timeIntervalSince(expected)) < 5, "\(backend): expires_at \(expiresAt)")

            let me = try await client.call(.get, "/api/v1/_auth/me", authorization: "Bearer \(token)")
            #expect(me.status == .ok)
            #expect(me.json == ["id": .string(aliceID), "name": "alice", "role": "user"])

            let wrongPassword = #"{"username": "alice", "password": "nope"}"#
            let unknownUser = #"{"username": "nobody", "password": "\#(Self.password)"}"#
            var bodies: [String] = []
            for attempt in [wrongPassword, unknownUser] {
                let failed = try await client.call(.post, "/api/v1/_auth/login", json: attempt, authorization: nil)
                #expect(failed.status == .unauthorized, "\(backend): \(failed.text)")
                #expect(failed.json == ["error_code": "UNAUTHORIZED", "errors": ["invalid username or password"]])
                #expect(failed.headers[.wwwAuthenticate] != nil)
                #expect(failed.headers[.contentType] == "application/json")
                bodies.append(failed.text)
            }
            #expect(bodies[0] == bodies[1], "wrong names and wrong passwords must look alike")

            let malformed = try await client.call(
                .post,
                "/api/v1/_auth/login",
                json: #"{"username": "alice"}"#,
                authorization: nil
            )
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "INVALID_REQUEST")
            let wrongMethod = try await client.call(.get, "/api/v1/_auth/login", authorization: nil)
            #expect(wrongMethod.status == .methodNotAllowed)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func tooManyFailedLoginsAre429WithRetryAfterUntilTheWindowPasses(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock, loginFailureLimit: 3, loginFailureWindow: 60) { client in
            _ = try await client.makeUser("bob", password: Self.password)
            let wrong = #"{"username": "bob", "password": "wrong"}"#
            let right = #"{"username": "bob", "password": "\#(Self.password)"}"#
            for attempt in 1...3 {
                let failed = try await client.call(.post, "/api/v1/_auth/login", json: wrong, authorization: nil)
                #expect(failed.status == .unauthorized, "\(backend) attempt \(attempt)")
            }
            // The limit is reached: even the right password is turned away, with how long to wait.
            for body in [wrong, right] {
                let limited = try await client.call(.post, "/api/v1/_auth/login", json: body, authorization: nil)
                #expect(limited.status == .tooManyRequests, "\(backend): \(limited.text)")
                #expect(limited.errorCode == "TOO_MANY_REQUESTS")
                let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "\(limited.headers)")
                #expect((1...60).contains(retryAfter), "Retry-After: \(retryAfter)")
                #expect(!limited.text.contains(Self.password))
            }
            // Other users are not locked out.
            _ = try await client.makeUser("carl", password: Self.password)
            _ = try await client.login("carl", password: Self.password)

            clock.advance(by: 61)
            let afterWindow = try await client.call(.post, "/api/v1/_auth/login", json: right, authorization: nil)
            #expect(afterWindow.status == .ok, "\(backend) after the window: \(afterWindow.text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func logoutRevokesTheTokenAndMeNamesTheCaller(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let key = try await client.makeUser("dana", password: Self.password)
            let token = try await client.login("dana", password: Self.password)
            let other = try await client.login("dana", password: Self.password)

            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: nil).status == .unauthorized)
            let admin = try await client.admin(.get, "/api/v1/_auth/me")
            #expect(admin.json["name"] == "admin" && admin.json["role"] == "admin")
            #expect(admin.json["id"]?.stringValue?.hasPrefix("USR-") == true)
            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: key).json["name"] == "dana")

            let logout = try await client.call(.post, "/api/v1/_auth/logout", authorization: token)
            #expect(logout.status == .noContent, "\(backend): \(logout.text)")
            let after = try await client.call(.get, "/api/v1/_auth/me", authorization: token)
            #expect(after.status == .unauthorized, "\(backend) a token still works after logout")
            #expect(after.errorCode == "UNAUTHORIZED")
            let again = try await client.call(.post, "/api/v1/_auth/logout", authorization: token)
            #expect(again.status == .unauthorized)
            // Only that session ends.
            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: other).status == .ok)
            // Logging out needs a session: anonymous 401, an API key 400.
            #expect(try await client.call(.post, "/api/v1/_auth/logout", authorization: nil).status == .unauthorized)
            let withKey = try await client.call(.post, "/api/v1/_auth/logout", authorization: key)
            #expect(withKey.status == .badRequest, "\(backend): \(withKey.text)")
            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: key).status == .ok)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func adminEndpointsAre401AnonymousAnd403ForUsers(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let user = try await client.makeUser("erin")
            let key = try await client.makeKey(for: "erin")
            let endpoints: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/_admin/users", nil),
                (.post, "/api/v1/_admin/users", #"{"name": "mallory", "role": "admin"}"#),
                (.delete, "/api/v1/_admin/users/erin", nil),
                (.get, "/api/v1/_admin/users/erin/keys", nil),
                (.post, "/api/v1/_admin/users/erin/keys", #"{"label": "stolen"}"#),
                (.delete, "/api/v1/_admin/keys/\(key.id)", nil),
                (.get, "/api/v1/_admin/audit", nil),
            ]
            for (method, uri, json) in endpoints {
                let anonymous = try await client.call(method, uri, json: json, authorization: nil)
                #expect(anonymous.status == .unauthorized, "\(backend) anonymous \(method) \(uri)")
                #expect(anonymous.errorCode == "UNAUTHORIZED")
                let signedIn = try await client.call(method, uri, json: json, authorization: user)
                #expect(signedIn.status == .forbidden, "\(backend) user \(method) \(uri): \(signedIn.text)")
                #expect(signedIn.errorCode == "FORBIDDEN")
            }
            // Nothing of it happened.
            let users = try await client.admin(.get, "/api/v1/_admin/users")
            #expect(users.json.arrayValue?.compactMap { $0["name"]?.stringValue } == ["admin", "erin"])
            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: key.authorization).status == .ok)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func usersAreListedByNameAndNamesAreUnique(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            for name in ["zoe", "bea", "bo", "carla.m", "al_x", "b-2", "ops@example"] {
                let added = try await client.admin(.post, "/api/v1/_admin/users", json: #"{"name": "\#(name)"}"#)
                #expect(added.status == .created, "\(backend) \(name): \(added.text)")
                #expect(added.json["name"]?.stringValue == name)
                #expect(added.json["role"] == "user")
                #expect(added.json["created_at"]?.stringValue != nil)
                #expect(added.json["password"] == nil && added.json["password_hash"] == nil)
            }
            let admin2 = try await client.admin(
                .post,
                "/api/v1/_admin/users",
                json: #"{"name": "root2", "role": "admin"}"#
            )
            #expect(admin2.json["role"] == "admin")

            let list = try await client.admin(.get, "/api/v1/_admin/users")
            let names = list.json.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names == names.sorted(), "\(backend): \(names)")
            #expect(Set(names) == ["admin", "zoe", "bea", "bo", "carla.m", "al_x", "b-2", "ops@example", "root2"])

            let duplicate = try await client.admin(
                .post,
                "/api/v1/_admin/users",
                json: #"{"name": "bea", "password": "x"}"#
            )
            #expect(duplicate.status == .conflict, "\(backend): \(duplicate.text)")
            #expect(duplicate.errorCode == "DUPLICATE_ID")

            let badRole = try await client.admin(.post, "/api/v1/_admin/users", json: #"{"name": "x", "role": "root"}"#)
            #expect(badRole.status == .badRequest)
            #expect(badRole.errorCode == "INVALID_REQUEST")
            var answers: [String: String] = [:]
            for name in ["", "with space", String(repeating: "a", count: 65), "slash/name", "ünï"] {
                let bad = try await client.admin(
                    .post,
                    "/api/v1/_admin/users",
                    json: JSON.object(["name": .string(name)]).serialized()
                )
                answers[name] = "\(bad.status.code) \(bad.errorCode ?? "-")"
            }
            #expect(answers.values.allSatisfy { $0 == "400 INVALID_REQUEST" }, "\(backend) bad user names: \(answers)")
            #expect(try await client.admin(.get, "/api/v1/_admin/users").json.arrayValue?.count == names.count)

            #expect(try await client.admin(.delete, "/api/v1/_admin/users/bo").status == .noContent)
            #expect(try await client.admin(.delete, "/api/v1/_admin/users/bo").status == .notFound)
            #expect(try await client.admin(.get, "/api/v1/_admin/users/bo/keys").status == .notFound)
            #expect(try await client.admin(.post, "/api/v1/_admin/users/bo/keys").status == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func keyListsNeverHoldSecrets(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            _ = try await client.admin(.post, "/api/v1/_admin/users", json: #"{"name": "fay"}"#)
            var issued: [JSON] = []
            for label in ["ci", nil, "deploy"] {
                let body = label.map { #"{"label": "\#($0)"}"# }
                let key = try await client.admin(.post, "/api/v1/_admin/users/fay/keys", json: body)
                #expect(key.status == .created, "\(backend): \(key.text)")
                let secret = try #require(key.json["key"]?.stringValue)
                #expect(key.json["authorization"]?.stringValue == "ApiKey \(secret)")
                #expect(key.json["label"] == (label.map(JSON.string) ?? .null))
                #expect(key.json["user"] == "fay")
                #expect(secret.hasPrefix("\(key.json["id"]?.stringValue ?? "?"):"))
                issued.append(key.json)
                clock.advance(by: 1)
            }
            let list = try await client.admin(.get, "/api/v1/_admin/users/fay/keys")
            #expect(list.status == .ok)
            let keys = try #require(list.json.arrayValue)
            #expect(keys.map { $0["id"] } == issued.map { $0["id"] }, "\(backend): oldest first")
            for key in keys {
                #expect(
                    Set(key.objectValue?.keys.map { $0 } ?? []) == ["id", "user", "user_id", "label", "created_at"]
                )
            }
            for key in issued {
                let secret = try #require(key["key"]?.stringValue?.split(separator: ":").last.map(String.init))
                #expect(!list.text.contains(secret), "\(backend) the key list holds a secret")
            }
            // Revoking one removes it from the list; an unknown key is 404.
            let first = issued[0]["id"]?.stringValue ?? ""
            #expect(try await client.admin(.delete, "/api/v1/_admin/keys/\(first)").status == .noContent)
            #expect(try await client.admin(.delete, "/api/v1/_admin/keys/\(first)").status == .notFound)
            let after = try await client.admin(.get, "/api/v1/_admin/users/fay/keys")
            #expect(after.json.arrayValue?.count == 2)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theAuditLogRecordsAccessEventsAndNoSecret(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let owner = try await client.makeUser("gus", password: Self.password)
            _ = try await client.makeUser("hal")
            let issued = try await client.admin(.post, "/api/v1/_admin/users/hal/keys", json: #"{"label": "ci"}"#)
            let keySecret = issued.json["key"]?.stringValue?.split(separator: ":").last.map(String.init) ?? "?"
            let token = try await client.login("gus", password: Self.password)
            let wrongPassword = "Wr0ng-\(randomWord())"
            let failed = try await client.call(
                .post,
                "/api/v1/_auth/login",
                json: #"{"username": "gus", "password": "\#(wrongPassword)"}"#,
                authorization: nil
            )
            #expect(failed.status == .unauthorized)
            let created = try await client.call(.post, "/api/v1/vaults", json: #"{"title": "t"}"#, authorization: owner)
            let id = try #require(created.json["id"]?.stringValue)
            let grant = try await client.share("/api/v1/vaults/\(id)", with: "hal", "DaR", authorization: owner)
            #expect(grant.status == .ok, "\(backend): \(grant.text)")
            #expect(grant.json["right"] == "D")
            let revoke = try await client.call(.delete, "/api/v1/vaults/\(id)/_access/hal", authorization: owner)
            #expect(revoke.status == .noContent)
            #expect(try await client.call(.post, "/api/v1/_auth/logout", authorization: token).status == .noContent)

            let audit = try await client.admin(.get, "/api/v1/_admin/audit?after=0&limit=1000")
            #expect(audit.status == .ok, "\(backend): \(audit.text)")
            let events = try #require(audit.json.arrayValue)
            let sequences = events.compactMap {
                $0["sequence"].flatMap { if case .integer(let n) = $0 { n } else { nil } }
            }
            #expect(sequences == sequences.sorted() && Set(sequences).count == events.count, "\(sequences)")
            func event(_ action: String, subject: String) -> JSON? {
                events.last { $0["action"]?.stringValue == action && $0["subject"]?.stringValue == subject }
            }
            let keyEvent = event("key.create", subject: "hal")
            #expect(keyEvent?["actor"] == "admin")
            #expect(keyEvent?["target"] == issued.json["id"])
            #expect(keyEvent?["detail"] == "ci")
            let failure = event("login.failed", subject: "gus")
            #expect(failure != nil, "\(backend): \(audit.text)")
            #expect(failure?["actor"] == .null)
            #expect(event("login", subject: "gus")?["actor"] == "gus")
            #expect(event("logout", subject: "gus") != nil)
            let granted = event("grant", subject: "hal")
            #expect(granted?["actor"] == "gus")
            #expect(granted?["target"]?.stringValue == "vaults/\(id)")
            #expect(granted?["detail"] == "D")
            let revoked = event("revoke", subject: "hal")
            #expect(revoked?["actor"] == "gus")
            #expect(revoked?["target"]?.stringValue == "vaults/\(id)")
            #expect(event("user.add", subject: "hal")?["detail"] == "user")
            for event in events {
                #expect(
                    Set(event.objectValue?.keys.map { $0 } ?? []) == [
                        "sequence", "at", "action", "actor", "subject", "target", "detail",
                    ]
                )
            }
            let tokenSecret = String(token.split(separator: ".").last ?? "?")
            for secret in [Self.password, wrongPassword, keySecret, tokenSecret] {
                #expect(!audit.text.contains(secret), "\(backend) the audit log holds '\(secret)'")
            }

            // Paging: after the last sequence there is nothing; limits outside 1…1000 are 400.
            let last = sequences.last ?? 0
            #expect(try await client.admin(.get, "/api/v1/_admin/audit?after=\(last)").json == [])
            let page = try await client.admin(.get, "/api/v1/_admin/audit?after=0&limit=2")
            #expect(page.json.arrayValue?.count == 2)
            #expect(try await client.admin(.get, "/api/v1/_admin/audit?limit=0").status == .badRequest)
            #expect(try await client.admin(.get, "/api/v1/_admin/audit?after=-1").status == .badRequest)
        }
    }
}

extension ISO8601DateFormatter {
    /// `2026-12-02T10:00:00.000Z`.
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
