import EntityModel
import EntityService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import TestStores
import Testing

/// The oaio routes over the router, on both backends: what the unmodified client relies on (cookies,
/// CSRF, bytes-literal headers, the ten keys) and what bad input gets.
@Suite struct OaioAPITests {
    /// A signed-in oaio client: its cookies.
    private struct Session {
        var csrf: String
        var session: String

        var headers: HTTPFields {
            var fields = HTTPFields()
            fields[.cookie] = "csrftoken=\(csrf); sessionid=\(session)"
            fields[HTTPField.Name("X-CSRFToken")!] = csrf
            fields[.contentType] = "application/json"
            return fields
        }
    }

    private func withOaio(_ backend: StoreBackend, _ body: @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oaio-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withServer(
            backend,
            configure: {
                $0.filesDirectory = directory.path
                $0.maximumFileSize = 64 * 1024
            }
        ) { client in
            for name in ["alice", "bob"] {
                let made = try await client.send(
                    .post,
                    "/api/v1/_admin/users",
                    json: #"{"name": "\#(name)", "password": "\#(name)-pw"}"#
                )
                #expect(made.status == .created)
            }
            try await body(client)
        }
    }

    /// The value of cookie `name` set by `response`.
    private func cookie(_ name: String, of response: TestResponse) -> String? {
        for field in response.headers[values: .setCookie] where field.hasPrefix(name + "=") {
            return String(field.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    private func login(_ client: any TestClientProtocol, _ name: String) async throws -> Session {
        let primed = try await client.send(.get, "/api/login/", authorization: nil)
        let csrf = try #require(cookie("csrftoken", of: primed))
        var headers = HTTPFields()
        headers[.cookie] = "csrftoken=\(csrf)"
        headers[HTTPField.Name("X-CSRFToken")!] = csrf
        let response = try await client.send(
            .post,
            "/api/login/",
            json: #"{"username": "\#(name)", "password": "\#(name)-pw"}"#,
            headers: headers,
            authorization: nil
        )
        #expect(response.status == .ok)
        let rotated = try #require(cookie("csrftoken", of: response))
        #expect(rotated != csrf, "login rotates the CSRF token")
        let setSession = response.headers[values: .setCookie].first { $0.hasPrefix("sessionid=") } ?? ""
        #expect(setSession.contains("HttpOnly"))
        return Session(csrf: rotated, session: try #require(cookie("sessionid", of: response)))
    }

    private static let stamp = OaioStamp(Date().addingTimeInterval(-60)).description
    private static let id = "notes⫻alice﹫phone⁄" + stamp

    private func object(_ values: String = #"{"title": "ö"}"#, stamp: String = stamp, extra: String = "") -> String {
        """
        {"oaio_id": "\(Self.id)", "client_stamp": "\(stamp)", "server_stamp": "", "client_values": \(values),
         "server_values": {}, "csh_id": "Local", "username": "mallory", "device_id": "x", "app_id": "x",
         "csh_access_right": "C"\(extra)}
        """
    }

    @Test(arguments: StoreBackend.allCases)
    func loginRegisterListAndLogout(_ backend: StoreBackend) async throws {
        try await withOaio(backend) { client in
            let anonymous = try await client.send(.get, "/api/current_stamp/", authorization: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode != nil, "errors are JSON too")

            let alice = try await login(client, "alice")
            let now = try await client.send(.get, "/api/current_stamp/", headers: alice.headers, authorization: nil)
            let stamp = try #require(now.json["current_stamp"]?.stringValue)
            #expect(OaioStamp(text: stamp) != nil)

            var headers = alice.headers
            headers[HTTPField.Name("X-OAIO-dvc")!] = #"b'ph\xc3\xb6ne'"#
            headers[HTTPField.Name("X-OAIO-user")!] = "b'alice'"
            let registered = try await client.send(
                .post,
                "/api/register/",
                json: object(),
                headers: headers,
                authorization: nil
            )
            #expect(registered.status == .ok)
            #expect(registered.json["oaio_id"]?.stringValue == Self.id)
            #expect(Set(registered.json.objectValue?.keys ?? [:].keys) == Set(OaioAPITests.tenKeys))
            #expect(registered.json["username"] == "alice", "the body's username is ignored")
            #expect(registered.json["device_id"] == "phöne", "bytes-literal headers are decoded")

            let listed = try await client.send(.get, "/api/oaio_stampz/", headers: alice.headers, authorization: nil)
            #expect(listed.json.arrayValue?.count == 1)
            #expect(listed.json.arrayValue?.first?["csh_access_right"] == "C")

            let encoded = Self.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""
            let list = try await client.send(
                .get,
                "/api/user_subz/\(encoded)",
                headers: alice.headers,
                authorization: nil
            )
            let rights = (list.json.arrayValue ?? []).compactMap { entry -> (String, String)? in
                guard let user = entry["username"]?.stringValue, let right = entry["access_right"]?.stringValue
                else { return nil }
                return (user, right)
            }
            #expect(rights.contains { $0 == ("alice", "C") })
            #expect(rights.contains { $0 == ("bob", "x") })

            let rest = try await client.send(.get, "/api/v1/oaio/\(encoded)")
            #expect(rest.status == .ok, "the same object through /api/v1")
            #expect(rest.json["title"] == "ö")

            let out = try await client.send(
                .post,
                "/api/logout/",
                json: "{}",
                headers: alice.headers,
                authorization: nil
            )
            #expect(out.status == .ok)
            let after = try await client.send(.get, "/api/current_stamp/", headers: alice.headers, authorization: nil)
            #expect(after.status == .unauthorized, "logout ends the session on the server")
        }
    }

    static let tenKeys = [
        "oaio_id", "client_stamp", "server_stamp", "client_values", "server_values", "csh_id", "username",
        "device_id", "app_id", "csh_access_right",
    ]

    @Test(arguments: StoreBackend.allCases)
    func badInputGetsAClearErrorAndStoresNothing(_ backend: StoreBackend) async throws {
        try await withOaio(backend) { client in
            let alice = try await login(client, "alice")
            var noToken = alice.headers
            noToken[HTTPField.Name("X-CSRFToken")!] = nil
            let forged = try await client.send(
                .post,
                "/api/register/",
                json: object(),
                headers: noToken,
                authorization: nil
            )
            #expect(forged.status == .forbidden)
            #expect(forged.errorCode == "CSRF_FAILED")

            var otherUser = alice.headers
            otherUser[HTTPField.Name("X-OAIO-user")!] = "b'bob'"
            let impersonating = try await client.send(
                .post,
                "/api/register/",
                json: object(),
                headers: otherUser,
                authorization: nil
            )
            #expect(impersonating.status == .forbidden)

            let future = OaioStamp(Date().addingTimeInterval(600)).description
            let cases: [(String, HTTPResponse.Status, String)] = [
                (object(stamp: "2026"), .unprocessableContent, "client_stamp"),
                (object(stamp: "20221231111111012345"), .unprocessableContent, "client_stamp"),
                (object(stamp: future), .unprocessableContent, "ahead"),
                (object(extra: #", "more": 1"#), .badRequest, "unknown: more"),
                (#"{"oaio_id": "x"}"#, .badRequest, "missing"),
                ("[1]", .badRequest, "oaio object"),
            ]
            for (body, status, words) in cases {
                let response = try await client.send(
                    .post,
                    "/api/register/",
                    json: body,
                    headers: alice.headers,
                    authorization: nil
                )
                #expect(response.status == status, "\(body)")
                #expect(response.errors.joined().contains(words), "\(response.errors)")
            }
            let listed = try await client.send(.get, "/api/oaio_stampz/", headers: alice.headers, authorization: nil)
            #expect(listed.json == .array([]), "nothing was stored")

            let wrongPassword = try await client.send(
                .post,
                "/api/login/",
                json: #"{"username": "alice", "password": "nope"}"#,
                headers: alice.headers,
                authorization: nil
            )
            #expect(wrongPassword.status == .unauthorized)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func theStorageHostStagesServesAndForgetsFiles(_ backend: StoreBackend) async throws {
        try await withOaio(backend) { client in
            let alice = try await login(client, "alice")
            let arguments = try await client.send(
                .get,
                "/api/csh_args/Local",
                headers: alice.headers,
                authorization: nil
            )
            #expect(arguments.json["base_url"]?.stringValue?.hasSuffix("/csh/") == true)
            let token = try #require(arguments.json["token"]?.stringValue)
            #expect(
                try await client.send(.get, "/api/csh_args/Digi", headers: alice.headers, authorization: nil).status
                    == .notFound
            )

            let encoded = Self.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""
            let path = "/csh/\(encoded)/\(Self.stamp)/dir/t%20x.bin"
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(token)"
            let bytes = ByteBuffer(bytes: Array(0...255))
            let put = try await client.execute(uri: path, method: .put, headers: bearer, body: bytes)
            #expect(put.status == .created)
            let anonymous = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .unauthorized)
            let streamed = ByteBuffer(bytes: [UInt8](repeating: 7, count: 65 * 1024))
            let tooLong = try await client.execute(uri: path + ".big", method: .put, headers: bearer, body: streamed)
            #expect(tooLong.status == .contentTooLarge, "a file over --max-file-size is refused")
            #expect(tooLong.errors.joined().contains("--max-file-size"))

            let registered = try await client.send(
                .post,
                "/api/register/",
                json: object(#"{"_file_paths": ["dir/t x.bin"]}"#),
                headers: alice.headers,
                authorization: nil
            )
            #expect(registered.status == .ok)
            #expect(registered.json["client_values"] == ["_file_paths": ["dir/t x.bin"]])
            let got = try await client.execute(uri: path, method: .get, headers: bearer, body: nil)
            #expect(got.status == .ok)
            #expect(Array(got.body.readableBytesView) == Array(0...255))

            let bob = try await login(client, "bob")
            let bobArguments = try await client.send(
                .get,
                "/api/csh_args/Local",
                headers: bob.headers,
                authorization: nil
            )
            var bobBearer = HTTPFields()
            bobBearer[.authorization] = "Bearer \(bobArguments.json["token"]?.stringValue ?? "")"
            #expect(
                try await client.execute(uri: path, method: .get, headers: bobBearer, body: nil).status == .notFound
            )

            let deleted = try await client.send(
                .post,
                "/api/delete/",
                json: object(),
                headers: alice.headers,
                authorization: nil
            )
            #expect(deleted.status == .ok)
            let folder = "/csh/\(encoded)/\(Self.stamp)"
            #expect(
                try await client.execute(uri: folder, method: .delete, headers: bearer, body: nil).status == .noContent
            )
            #expect(try await client.execute(uri: path, method: .get, headers: bearer, body: nil).status == .notFound)
        }
    }
}
