import EntityModel
import EntityService
import HTTPTypes
import Hummingbird

/// The oaio v1 API under `/api/` (issue 15; `shared/reference/oaio.md` §3.4), for the unmodified
/// `ae-oaio-client`: Django-style cookie login with CSRF, the objects of collection `oaio`, their
/// subscriptions (the grants of the sharing API), and EntityHub as the storage host `Local`
/// (``CshController``). Every answer is JSON, errors in the REST API's format.
struct OaioController<Context: RequestContext>: Sendable {
    static var prefix: String { "/api" }

    let service: EntityService
    let limits: RESTLimits
    let settings: OaioSettings
    /// Whether the server itself serves HTTPS (cookies are then `Secure`).
    let tls: Bool

    func addRoutes(to router: Router<Context>) {
        /// A route under ``prefix``; POSTs check the CSRF token first.
        func on(
            _ method: HTTPRequest.Method,
            _ path: String,
            _ handler: @escaping @Sendable (Request, Context) async throws -> Response
        ) {
            router.on(RouterPath("\(Self.prefix)/\(path)"), method: method) { request, context in
                await RESTError.responding(logging: context.logger) { () async throws -> Response in
                    if method == .post { try OaioSession(request).requireCSRFToken() }
                    return try await handler(request, context)
                }
            }
        }
        func get(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
            on(.get, path, handler)
        }
        func post(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
            on(.post, path, handler)
        }
        get("login") { request, _ in try login(request) }
        post("login") { request, context in try await login(request, context: context) }
        post("logout") { request, _ in try await logout(request) }
        get("current_stamp") { request, _ in
            _ = try await OaioSession(request).caller(service.accounts)
            return JSONResponse.make(
                status: .ok,
                json: ["current_stamp": .string(service.oaioCurrentStamp().description)]
            )
        }
        get("oaio_stampz") { request, _ in
            let objects = try await service.oaioObjects(as: try await OaioSession(request).caller(service.accounts))
            var output: [UInt8] = []
            output.reserveCapacity(2 + objects.count * 320)
            output.append(UInt8(ascii: "["))
            for (index, object) in objects.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                OaioObjectJSON.write(object, into: &output)
            }
            output.append(UInt8(ascii: "]"))
            return JSONResponse.make(status: .ok, bytes: output)
        }
        post("register") { request, _ in
            let (session, caller, body) = try await read(request)
            let object = try await service.oaioRegister(try upload(body, session), as: caller)
            return JSONResponse.make(status: .ok, json: OaioObjectJSON.json(object))
        }
        post("upload") { request, _ in
            let (session, caller, body) = try await read(request)
            let object = try await service.oaioUpload(try upload(body, session), as: caller)
            return JSONResponse.make(status: .ok, json: OaioObjectJSON.json(object))
        }
        post("delete") { request, _ in
            let (_, caller, body) = try await read(request)
            let id = try OaioObjectJSON.id(of: body)
            try await service.oaioDelete(id, as: caller)
            return JSONResponse.make(status: .ok, json: ["message": .string("'\(id)' is deleted")])
        }
        get("csh_args/:id") { request, _ in
            let session = OaioSession(request)
            _ = try await session.caller(service.accounts)
            return try fileHostArguments(try pathID(request, after: "csh_args"), session: session)
        }
        post("subscribe") { request, _ in try await subscribe(request) }
        get("user_subz/:id") { request, _ in
            let caller = try await OaioSession(request).caller(service.accounts)
            let entries = try await service.oaioSubscribers(of: try pathID(request, after: "user_subz"), as: caller)
            let list = entries.map { entry in
                JSON.object(["username": .string(entry.user), "access_right": .string(entry.right?.rawValue ?? "x")])
            }
            return JSONResponse.make(status: .ok, json: .array(list))
        }
        post("wipe_user") { request, _ in
            let (_, caller, body) = try await read(request)
            guard case .string(let user)? = body?.objectValue?["Uid"] else {
                throw RESTError(.badRequest, "INVALID_REQUEST", #"request body: expected {"Uid": "<user name>"}"#)
            }
            try await service.oaioWipeUser(user, as: caller)
            return JSONResponse.make(status: .ok, json: ["message": .string("user '\(user)' is wiped")])
        }
    }

    // MARK: Login

    /// `GET login/`: anonymous; sets the `csrftoken` cookie every POST must echo.
    private func login(_ request: Request) throws -> Response {
        let session = OaioSession(request)
        let token =
            session.cookies[OaioSession.csrfCookie].flatMap { $0.isEmpty ? nil : $0 } ?? OaioSession.newCSRFToken()
        var response = JSONResponse.make(status: .ok, json: ["message": "POST username and password to log in"])
        response.headers.append(
            OaioSession.setCookie(OaioSession.csrfCookie, token, httpOnly: false, secure: session.isSecure(tls: tls))
        )
        return response
    }

    /// `POST login/` `{"username", "password"}`: starts a session (an HttpOnly `sessionid` cookie) and
    /// rotates `csrftoken`. Failed logins count toward the login rate limit.
    private func login(_ request: Request, context: Context) async throws -> Response {
        let session = OaioSession(request)
        let body = try await RESTRequest(request: request, limits: limits).jsonBody()
        guard case .string(let username)? = body?.objectValue?["username"],
            case .string(let password)? = body?.objectValue?["password"]
        else {
            throw RESTError(.badRequest, "INVALID_REQUEST", #"request body: expected {"username": …, "password": …}"#)
        }
        let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        let signedIn = try await service.accounts.login(
            username: username,
            password: password,
            address: address,
            channel: "oaio"
        )
        let secure = session.isSecure(tls: tls)
        var response = JSONResponse.make(status: .ok, json: ["message": .string("logged in as \(signedIn.user.name)")])
        response.headers.append(
            OaioSession.setCookie(OaioSession.sessionCookie, signedIn.token, httpOnly: true, secure: secure)
        )
        response.headers.append(
            OaioSession.setCookie(OaioSession.csrfCookie, OaioSession.newCSRFToken(), httpOnly: false, secure: secure)
        )
        return response
    }

    /// `POST logout/`: ends the session on the server and clears its cookie.
    private func logout(_ request: Request) async throws -> Response {
        let session = OaioSession(request)
        if let token = session.token,
            let caller = try? await service.accounts.authenticate(authorization: "Bearer " + token, channel: "oaio"),
            caller.isAuthenticated
        {
            try await service.accounts.logout(caller)
        }
        var response = JSONResponse.make(status: .ok, json: ["message": "logged out"])
        response.headers.append(
            OaioSession.setCookie(OaioSession.sessionCookie, nil, httpOnly: true, secure: session.isSecure(tls: tls))
        )
        return response
    }

    // MARK: Parts

    /// The session, the caller and the JSON body of a POST.
    private func read(_ request: Request) async throws -> (OaioSession, Caller, JSON?) {
        let session = OaioSession(request)
        let caller = try await session.caller(service.accounts)
        let body = try await RESTRequest(request: request, limits: limits).jsonBody()
        return (session, caller, body)
    }

    private func upload(_ body: JSON?, _ session: OaioSession) throws -> OaioUpload {
        try OaioObjectJSON.upload(
            body,
            device: try session.header(.oaioDevice) ?? "",
            app: try session.header(.oaioApp) ?? ""
        )
    }

    /// `POST subscribe/` `{"oaio_id", "username", "access_right"}` → `{"Pid", "message"}`.
    private func subscribe(_ request: Request) async throws -> Response {
        let (_, caller, body) = try await read(request)
        let members = body?.objectValue ?? [:]
        guard case .string(let id)? = members["oaio_id"], case .string(let user)? = members["username"],
            case .string(let right)? = members["access_right"]
        else {
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                #"request body: expected {"oaio_id": …, "username": …, "access_right": "D", "U", "r" or "x"}"#
            )
        }
        let subscription = try await service.oaioSubscribe(id, user: user, right: right, as: caller)
        let message =
            "Pid:\(subscription.number) PUid/POid:\(subscription.user)/\(id) \(subscription.right?.rawValue ?? "x")"
        return JSONResponse.make(
            status: .ok,
            json: ["Pid": .integer(subscription.number), "message": .string(message)]
        )
    }

    /// `GET csh_args/<id>`: how the client reaches a storage host: EntityHub itself for `Local`, the
    /// configured arguments for the others.
    private func fileHostArguments(_ id: String, session: OaioSession) throws -> Response {
        if id == OaioSettings.localFileHost, let token = session.token {
            return JSONResponse.make(
                status: .ok,
                json: [
                    "base_url": .string(session.origin(tls: tls) + CshController<Context>.prefix + "/"),
                    "token": .string(token),
                ]
            )
        }
        guard let arguments = settings.fileHosts[id] else {
            throw RESTError(.notFound, "NOT_FOUND", "no storage host '\(id)' is configured (--oaio-csh)")
        }
        return JSONResponse.make(status: .ok, json: arguments)
    }

    /// The percent-decoded path segment after `/api/<route>/` (ids are UTF-8 text).
    private func pathID(_ request: Request, after route: String) throws(RESTError) -> String {
        let path = request.uri.path
        let prefix = Self.prefix + "/" + route + "/"
        guard path.hasPrefix(prefix), let id = String(path.dropFirst(prefix.count)).removingPercentEncoding else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "the path names no id after \(prefix)")
        }
        return id
    }
}
