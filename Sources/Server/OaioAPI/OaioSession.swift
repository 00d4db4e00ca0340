import Crypto
import EntityService
import Foundation
import HTTPTypes
import Hummingbird

/// What oaio clients send besides their bodies, as Django's `oapi` server read it: the cookies
/// `csrftoken` (double-submitted in `X-CSRFToken` on every POST) and `sessionid` (the session token
/// of ``Accounts/login(username:password:address:channel:)``), and the `X-OAIO-*` context headers.
struct OaioSession {
    static let csrfCookie = "csrftoken"
    static let sessionCookie = "sessionid"

    let request: Request
    /// The request's cookies by name.
    let cookies: [String: String]

    init(_ request: Request) {
        self.request = request
        var cookies: [String: String] = [:]
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                cookies[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        self.cookies = cookies
    }

    /// The session token of the `sessionid` cookie, if any.
    var token: String? { cookies[Self.sessionCookie].flatMap { $0.isEmpty ? nil : $0 } }

    /// Refuses a POST whose `X-CSRFToken` is missing or differs from its `csrftoken` cookie (403).
    func requireCSRFToken() throws(RESTError) {
        guard let cookie = cookies[Self.csrfCookie], !cookie.isEmpty,
            let header = request.headers[.csrfToken], header == cookie
        else {
            throw RESTError(
                .forbidden,
                "CSRF_FAILED",
                "a POST needs the header X-CSRFToken equal to the csrftoken cookie (GET /api/login/ sets it)"
            )
        }
    }

    /// The signed-in caller, acting as the user `X-OAIO-user` names (admins only may name another).
    ///
    /// - Throws: 401 without a valid session; 403 for a non-admin naming another user; 400 for a
    ///   malformed header.
    func caller(_ accounts: Accounts) async throws -> Caller {
        guard let token else { throw EntityError(.unauthenticated, "sign in first: POST /api/login/") }
        let signedIn = try await accounts.authenticate(authorization: "Bearer " + token, channel: "oaio")
        guard let named = try header(.oaioUser), !named.isEmpty else { return signedIn }
        return try await accounts.acting(as: named, by: signedIn)
    }

    /// The decoded value of an `X-OAIO-*` header (`nil` when absent).
    func header(_ name: HTTPField.Name) throws(RESTError) -> String? {
        guard let value = request.headers[name] else { return nil }
        guard let decoded = OaioBytesLiteral.decode(value) else {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                "\(name.rawName): expected a bytes literal of UTF-8 text such as b'alice', found \(value.prefix(100))"
            )
        }
        return decoded
    }

    /// A `Set-Cookie` field; `nil` value clears the cookie.
    static func setCookie(_ name: String, _ value: String?, httpOnly: Bool, secure: Bool) -> HTTPField {
        var text = "\(name)=\(value ?? ""); Path=/; SameSite=Lax"
        if value == nil { text += "; Max-Age=0" }
        if httpOnly { text += "; HttpOnly" }
        if secure { text += "; Secure" }
        return HTTPField(name: .setCookie, value: text)
    }

    /// A new CSRF token: 32 random hex digits.
    static func newCSRFToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Whether the request reached the server over HTTPS (directly, or through a proxy that says so).
    func isSecure(tls: Bool) -> Bool {
        tls || request.headers[.forwardedProto]?.lowercased() == "https"
    }

    /// `scheme://host` as the request reached the server.
    func origin(tls: Bool) -> String {
        let host = request.head.authority ?? request.headers[.host] ?? "127.0.0.1"
        return (isSecure(tls: tls) ? "https" : "http") + "://" + host
    }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRFToken")!
    static let oaioUser = HTTPField.Name("X-OAIO-user")!
    static let oaioDevice = HTTPField.Name("X-OAIO-dvc")!
    static let oaioApp = HTTPField.Name("X-OAIO-app")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let host = HTTPField.Name("Host")!
}
