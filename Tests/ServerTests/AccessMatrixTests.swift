import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestStores
import Testing

/// The access matrix: every operation of the REST API on an entity, for every kind of caller, in a
/// collection of each read default, with the exact status expected from the rights model, and with
/// no value of an entity the caller cannot read in any body, header or total.
///
/// The expectations live in two functions: ``standing(of:on:in:)`` (what right the model gives a
/// caller on an entity) and ``expectedStatus(of:for:)`` (what status an operation gets with it).
struct AccessMatrixTests {
    // MARK: The model

    /// Who sends a request.
    enum Identity: String, CaseIterable, Sendable, CustomStringConvertible {
        /// The user who created the entity (holds C).
        case creator
        /// Users granted D, U and r on it through `PUT …/_access/USER`.
        case deleteGrantee, updateGrantee, readGrantee
        /// A signed-in user without a grant.
        case other
        case anonymous
        case admin
        /// An API key of the creator, revoked through `DELETE /api/v1/_admin/keys/ID`.
        case revokedKey
        /// A session token of the creator whose lifetime has passed.
        case expiredToken

        var description: String { rawValue }

        /// The user the identity signs in as (`nil`: anonymous).
        var userName: String? {
            switch self {
            case .creator, .revokedKey, .expiredToken: "cora"
            case .deleteGrantee: "dora"
            case .updateGrantee: "uma"
            case .readGrantee: "rhea"
            case .other: "otto"
            case .admin: "admin"
            case .anonymous: nil
            }
        }
    }

    /// The user that grant and revoke operations name (no identity of the matrix).
    static let spareUser = "gina"
    static let password = "correct horse battery staple"

    /// A collection of each read default (Tests/Fixtures/access-schema.json).
    enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case `private`, authenticatedRead, publicRead

        var description: String { rawValue }

        var collection: String {
            switch self {
            case .private: "vaults"
            case .authenticatedRead: "memos"
            case .publicRead: "notices"
            }
        }

        /// The right every entity of the collection gives a caller.
        func defaultRead(signedIn: Bool) -> AccessRight? {
            switch self {
            case .private: nil
            case .authenticatedRead: signedIn ? .read : nil
            case .publicRead: .read
            }
        }
    }

    enum Operation: String, CaseIterable, Sendable, CustomStringConvertible {
        case get, head
        /// `?eq(secret,VALUE)`, `?gt(secret,LOW)&lt(secret,HIGH)`, `?search=VALUE`.
        case filterEqual, filterRange, search
        /// `GET …/ID/_access`.
        case sharingList
        /// The whole collection: `?limit=100` and `?limit=0`.
        case list, count
        case update, mergePatch, delete, action, bulkUpdate, bulkDelete
        /// `PUT …/ID/_access/gina`, `DELETE …/ID/_access/gina`.
        case grant, revoke
        case create

        var description: String { rawValue }

        static let entityReads: [Operation] = [.get, .head, .filterEqual, .filterRange, .search, .sharingList]
        static let collectionReads: [Operation] = [.list, .count]
        static let writes: [Operation] = [
            .update, .mergePatch, .delete, .action, .bulkUpdate, .bulkDelete, .grant, .revoke,
        ]
    }

    /// How the server must see the caller of a request about one entity.
    enum Standing: Equatable, CustomStringConvertible {
        /// Credentials sent, but revoked or expired.
        case rejected
        case anonymous(AccessRight?)
        case signedIn(AccessRight?)

        var right: AccessRight? {
            switch self {
            case .rejected: nil
            case .anonymous(let right), .signedIn(let right): right
            }
        }

        var description: String {
            switch self {
            case .rejected: "rejected"
            case .anonymous(let right): "anonymous(\(right?.rawValue ?? "-"))"
            case .signedIn(let right): "signed in(\(right?.rawValue ?? "-"))"
            }
        }
    }

    /// An entity of the matrix, with the values that must never reach a caller who cannot read it.
    struct Target: Sendable {
        let id: String
        let title: String
        let secret: String
        let owner: Identity
        let grants: [Identity: AccessRight]

        /// Bounds of a range that holds `secret` and no other value.
        var low: String { String(secret.dropLast()) + "a" }
        var high: String { String(secret.dropLast()) + "z" }
    }

    /// The right the model gives `identity` on `target`: C for the creator and admins, else the
    /// stronger of the grant and the collection's read default.
    static func standing(of identity: Identity, on target: Target, in kind: Kind) -> Standing {
        switch identity {
        case .revokedKey, .expiredToken: return .rejected
        case .anonymous: return .anonymous(kind.defaultRead(signedIn: false))
        case .admin: return .signedIn(.creator)
        default:
            if identity == target.owner { return .signedIn(.creator) }
            return .signedIn([kind.defaultRead(signedIn: true), target.grants[identity]].compactMap { $0 }.max())
        }
    }

    /// The expectation table: the status of `operation` for a caller of `standing` on its entity.
    static func expectedStatus(of operation: Operation, for standing: Standing) -> HTTPResponse.Status {
        let right: AccessRight?
        let signedIn: Bool
        switch standing {
        case .rejected: return .unauthorized  // revoked key, expired token: 401 on everything
        case .anonymous(let granted): (right, signedIn) = (granted, false)
        case .signedIn(let granted): (right, signedIn) = (granted, true)
        }
        /// Unreadable: 404 (it does not exist for the caller); readable without `needed`: 403.
        func needs(_ needed: AccessRight, success: HTTPResponse.Status) -> HTTPResponse.Status {
            guard let right else { return .notFound }
            return right.includes(needed) ? success : .forbidden
        }
        switch operation {
        case .get, .head: return needs(.read, success: .ok)
        // Lists always answer 200; the entity is listed and counted only when readable.
        case .list, .count, .filterEqual, .filterRange, .search: return .ok
        case .update, .mergePatch, .action, .bulkUpdate: return needs(.update, success: .ok)
        case .delete, .bulkDelete: return needs(.delete, success: .noContent)
        // Sharing needs sign-in first (401), then C. The sharing list of an entity the caller cannot
        // read answers as for an id that does not exist: every user, none with a right.
        case .sharingList: return !signedIn ? .unauthorized : right == nil ? .ok : needs(.creator, success: .ok)
        case .grant: return signedIn ? needs(.creator, success: .ok) : .unauthorized
        case .revoke: return signedIn ? needs(.creator, success: .noContent) : .unauthorized
        case .create: return signedIn ? .created : .unauthorized
        }
    }

    /// Whether a list shows `target` to `identity`.
    static func lists(_ target: Target, to identity: Identity, in kind: Kind) -> Bool {
        standing(of: identity, on: target, in: kind).right != nil
    }

    // MARK: The matrix

    @Test(arguments: StoreBackend.allCases)
    func accessMatrix(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        let sessionLifetime: TimeInterval = 60 * 60
        try await withAccessServer(backend, clock: clock, sessionLifetime: sessionLifetime) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: sessionLifetime)
            for kind in Kind.allCases {
                let context = "\(backend) \(kind)"
                let probe = try await world.makeTarget(in: kind, owner: .creator, granting: World.standardGrants)
                let decoy = try await world.makeTarget(in: kind, owner: .other, granting: [:])
                try await world.checkReads(of: [probe, decoy], in: kind, context: context)
                try await world.checkWrites(in: kind, context: context)
                try await world.checkCreates(in: kind, context: context)
            }
        }
    }

    /// The filter probes of the matrix, once more in isolation: a caller who cannot read an entity
    /// cannot learn its values by filtering, ranging or searching on them, nor from a total; a grant
    /// makes it appear at once and a revocation hides it again (no stale cached totals).
    @Test(arguments: StoreBackend.allCases)
    func grantsAndRevocationsChangeWhatFiltersFind(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            for kind in [Kind.private] {
                let target = try await world.makeTarget(in: kind, owner: .creator, granting: [:])
                let base = "/api/v1/\(kind.collection)"
                let otto = world.authorization(.other)
                let probes = [
                    "\(base)?eq(secret,\(target.secret))",
                    "\(base)?gt(secret,\(target.low))&lt(secret,\(target.high))",
                    "\(base)?ge(secret,\(target.secret))&le(secret,\(target.secret))",
                    "\(base)?search=\(target.secret)",
                    "\(base)?limit=0",
                ]
                func expectTotals(_ expected: Int, _ step: String) async throws {
                    for probe in probes {
                        let response = try await client.call(.get, probe, authorization: otto)
                        #expect(response.status == .ok, "\(backend) \(step) \(probe)")
                        #expect(response.total == expected, "\(backend) \(step) \(probe): \(response.headers)")
                        if expected == 0 {
                            #expect(!response.reveals(target.secret), "\(backend) \(step) \(probe) leaks the secret")
                        }
                    }
                    let get = try await client.call(.get, "\(base)/\(target.id)", authorization: otto)
                    #expect(get.status == (expected == 0 ? .notFound : .ok), "\(backend) \(step) get")
                }
                try await expectTotals(0, "before any grant")
                try await world.grant(.read, to: "otto", on: target, in: kind)
                try await expectTotals(1, "after granting r")
                try await world.grant(.delete, to: "otto", on: target, in: kind)
                try await expectTotals(1, "after changing the grant to D")
                let revoke = try await client.call(
                    .delete,
                    "\(base)/\(target.id)/_access/otto",
                    authorization: world.authorization(.creator)
                )
                #expect(revoke.status == .noContent, "\(backend) revoke")
                try await expectTotals(0, "after the revocation")

                // A removed user's grants go with them: a new user of the same name gets none.
                try await world.grant(.read, to: World.spare, on: target, in: kind)
                #expect(try await client.admin(.delete, "/api/v1/_admin/users/\(World.spare)").status == .noContent)
                let again = try await client.makeUser(World.spare)
                let get = try await client.call(.get, "\(base)/\(target.id)", authorization: again)
                #expect(get.status == .notFound, "\(backend) a re-created user inherits a removed user's grant")
                let count = try await client.call(.get, "\(base)?eq(secret,\(target.secret))", authorization: again)
                #expect(count.total == 0, "\(backend) a re-created user counts a removed user's grant")
            }
        }
    }

    /// Every request with a revoked or expired credential, or a malformed one, is 401 with
    /// `WWW-Authenticate`, even on paths that do not exist and on account endpoints.
    @Test(arguments: StoreBackend.allCases)
    func rejectedCredentialsAreUnauthorizedEverywhere(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            let target = try await world.makeTarget(in: .publicRead, owner: .creator, granting: [:])
            // A live token sent as an API key, and a live key sent as a token, are no credentials either.
            let live = try await client.login("cora", password: Self.password)
            let tokenAsKey = "ApiKey " + live.dropFirst("Bearer ".count).replacingOccurrences(of: ".", with: ":")
            let keyAsToken = "Bearer " + TestCredentials.adminKey.replacingOccurrences(of: ":", with: ".")
            let headers = [
                world.authorization(.revokedKey), world.authorization(.expiredToken), "ApiKey SU-000:wrong",
                "ApiKey SU-000", "Bearer nonsense", "Bearer SES-nothing.secret", "Basic YWRtaW46YWRtaW4=", "ApiKey",
                tokenAsKey, keyAsToken,
            ]
            let requests: [(HTTPRequest.Method, String)] = [
                (.get, "/api/v1/notices/\(target.id)"), (.get, "/api/v1/notices"), (.get, "/api/v1/nowhere"),
                (.get, "/api/v1/_auth/me"), (.post, "/api/v1/_auth/logout"), (.get, "/api/v1/_admin/users"),
                (.post, "/api/v1/notices"), (.get, "/api/v1/notices/\(target.id)/_access"),
            ]
            for header in headers {
                for (method, uri) in requests {
                    let json = method == .post ? #"{"title": "x"}"# : nil
                    let response = try await client.call(method, uri, json: json, authorization: header)
                    let context = "\(backend) \(method) \(uri) with '\(header ?? "")'"
                    #expect(response.status == .unauthorized, "\(context): \(response.text)")
                    #expect(response.errorCode == "UNAUTHORIZED", "\(context)")
                    #expect(response.headers[.wwwAuthenticate]?.contains("Bearer") == true, "\(context)")
                    #expect(!response.reveals(target.secret), "\(context) leaks the secret")
                }
            }
        }
    }
}

// MARK: - Around the matrix

extension AccessMatrixTests {
    /// Requests beside the matrix's plain ones: conditional writes, mixed batches, `_meta` in bodies,
    /// nested collections, the sharing list of an id that does not exist, and the OpenAPI document.
    @Test(arguments: StoreBackend.allCases)
    func probesAroundTheMatrix(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await withAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            let kind = Kind.private
            let base = "/api/v1/\(kind.collection)"
            let target = try await world.makeTarget(in: kind, owner: .creator, granting: World.standardGrants)
            let otto = world.authorization(.other)
            let rhea = world.authorization(.readGrantee)
            let dora = world.authorization(.deleteGrantee)

            // If-Match: an unreadable entity is missing before its version is compared (never 412);
            // a readable one without the right is 403 whatever the version.
            for (auth, expected) in [(otto, HTTPResponse.Status.notFound), (rhea, .forbidden)] {
                for method in [HTTPRequest.Method.put, .patch, .delete] {
                    var headers = HTTPFields()
                    headers[.authorization] = auth
                    headers[.ifMatch] = "\"7\""
                    if method != .delete { headers[.contentType] = "application/json" }
                    let response = try await client.execute(
                        uri: "\(base)/\(target.id)",
                        method: method,
                        headers: headers,
                        body: method == .delete ? nil : ByteBuffer(string: #"{"title": "x"}"#)
                    )
                    world.check(
                        response,
                        expected,
                        hiding: expected == .notFound ? [target] : [],
                        "\(backend) If-Match \(method)"
                    )
                }
            }

            // A batch naming one entity the caller may change and one it cannot see: nothing is written,
            // the answer is 404 for the invisible item, and it shows no value of it.
            let own = try await world.makeTarget(in: kind, owner: .deleteGrantee, granting: [:])
            let hidden = try await world.makeTarget(in: kind, owner: .other, granting: [:])
            let mixed = #"[{"id": "\#(own.id)", "title": "x"}, {"id": "\#(hidden.id)", "title": "x"}]"#
            let bulk = try await client.call(.put, base, json: mixed, authorization: dora)
            world.check(bulk, .notFound, hiding: [hidden], "\(backend) mixed bulk update")
            #expect(bulk.errors.allSatisfy { $0.hasPrefix("item 1:") }, "\(backend) mixed bulk update: \(bulk.text)")
            #expect(try await client.admin(.get, "\(base)/\(own.id)").json["_meta"]?["version"] == .integer(1))
            let mixedDelete = try await client.call(
                .delete,
                base,
                json: #"["\#(own.id)", "\#(hidden.id)"]"#,
                authorization: dora
            )
            world.check(mixedDelete, .notFound, hiding: [hidden], "\(backend) mixed bulk delete")
            #expect(try await client.admin(.get, "\(base)/\(own.id)").status == .ok)

            // `_meta` in a body cannot change who created an entity (and with it who holds C).
            let forged = #"{"title": "mine now", "_meta": {"createdBy": "dora"}}"#
            #expect(
                try await client.call(.put, "\(base)/\(target.id)", json: forged, authorization: dora).status == .ok
            )
            #expect(
                try await client.call(.patch, "\(base)/\(target.id)", json: forged, authorization: dora).status == .ok
            )
            let created = try await client.call(
                .post,
                base,
                json: #"{"title": "forged", "_meta": {"createdBy": "cora"}}"#,
                authorization: otto
            )
            #expect(
                created.json["_meta"]?["createdBy"]?.stringValue == world.userID(.other),
                "\(backend): \(created.text)"
            )
            #expect(
                try await client.admin(.get, "\(base)/\(target.id)").json["_meta"]?["createdBy"]?.stringValue
                    == world.userID(.creator)
            )
            let sharing = try await client.call(.get, "\(base)/\(target.id)/_access", authorization: dora)
            #expect(sharing.status == .forbidden, "\(backend) a forged creator shares: \(sharing.text)")

            // Nested collections: a parent the caller cannot read hides its children (404, even to list).
            let parent = try await world.makeTarget(in: kind, owner: .creator, granting: [.readGrantee: .read])
            let notes = "\(base)/\(parent.id)/notes"
            let noteSecret = "sk\(randomWord())m"
            let note = try await client.call(
                .post,
                notes,
                json: #"{"secret": "\#(noteSecret)"}"#,
                authorization: rhea
            )
            #expect(note.status == .created, "\(backend) a reader of the parent adds a note: \(note.text)")
            let noteID = note.json["id"]?.stringValue ?? ""
            for (method, uri) in [
                (HTTPRequest.Method.get, notes), (.get, "\(notes)/\(noteID)"), (.get, "\(notes)?limit=0"),
                (.delete, "\(notes)/\(noteID)"),
            ] {
                let response = try await client.call(method, uri, authorization: otto)
                #expect(response.status == .notFound, "\(backend) \(method) \(uri) under an unreadable parent")
                #expect(!response.reveals(noteSecret) && !response.reveals(parent.secret), "\(backend) \(uri)")
            }
            // The creator of the parent cannot read rhea's note (nested collections are private too) …
            let cora = world.authorization(.creator)
            let coraNotes = try await client.call(.get, "\(notes)?limit=0", authorization: cora)
            #expect(coraNotes.total == 0, "\(backend) the parent's creator counts a note they cannot read")
            // … so deleting the parent must not tell her how many notes she cannot see.
            let deleteParent = try await client.call(.delete, "\(base)/\(parent.id)", authorization: cora)
            #expect(deleteParent.status == .conflict, "\(backend) deleting a parent with notes: \(deleteParent.text)")
            #expect(
                !deleteParent.text.contains("still has 1 "),
                "\(backend) deleting a parent reveals the count of nested entities the caller cannot read: \(deleteParent.text)"
            )

            // The sharing list of an id that does not exist answers every signed-in caller with every
            // user and no right (the issue asks for it); the list of an existing entity they cannot read
            // must not be told apart from it.
            let missing = try await client.call(.get, "\(base)/VLT-does-not-exist/_access", authorization: otto)
            let unreadable = try await client.call(.get, "\(base)/\(target.id)/_access", authorization: otto)
            #expect(missing.status == .ok && unreadable.status == .ok, "\(backend) \(unreadable.text)")
            #expect(
                missing.json == unreadable.json,
                "\(backend) GET _access tells a missing id from an unreadable entity: \(missing.text) vs \(unreadable.text)"
            )

            // Revoked and expired credentials are 401 on every path under /api/v1, the OpenAPI document too.
            for identity in [Identity.revokedKey, .expiredToken] {
                let document = try await client.call(
                    .get,
                    "/api/v1/openapi.json",
                    authorization: world.authorization(identity)
                )
                #expect(
                    document.status == .unauthorized,
                    "\(backend) \(identity) reads openapi.json: \(document.status)"
                )
            }
        }
    }
}

// MARK: - The world of one server

extension AccessMatrixTests {
    /// The users and credentials of one server, and the checks of the matrix.
    struct World: Sendable {
        let client: any TestClientProtocol
        let authorizations: [Identity: String]
        /// The account id of each signed-in identity's user: what `_meta.createdBy` holds.
        let userIDs: [Identity: String]

        static let spare = AccessMatrixTests.spareUser
        static let standardGrants: [Identity: AccessRight] = [
            .deleteGrantee: .delete, .updateGrantee: .update, .readGrantee: .read,
        ]
        /// Every user of the server, with the identity they stand for (the spare user stands for none).
        static let users: [(name: String, identity: Identity?)] = [
            ("admin", .admin), ("cora", .creator), ("dora", .deleteGrantee), ("gina", nil), ("otto", .other),
            ("rhea", .readGrantee), ("uma", .updateGrantee),
        ]

        func authorization(_ identity: Identity) -> String? { authorizations[identity] }

        func userID(_ identity: Identity) -> String? { userIDs[identity] }

        /// Adds the users, a revoked key and an expired token (moving `clock` past `sessionLifetime`).
        static func make(_ client: any TestClientProtocol, clock: TestClock, sessionLifetime: TimeInterval)
            async throws -> World
        {
            var authorizations: [Identity: String] = [.admin: TestCredentials.adminAuthorization]
            authorizations[.creator] = try await client.makeUser("cora", password: password)
            authorizations[.deleteGrantee] = try await client.makeUser("dora")
            authorizations[.updateGrantee] = try await client.makeUser("uma")
            authorizations[.readGrantee] = try await client.makeUser("rhea")
            authorizations[.other] = try await client.makeUser("otto")
            _ = try await client.makeUser(spare)

            let revoked = try await client.makeKey(for: "cora", label: "to be revoked")
            let beforeRevocation = try await client.call(.get, "/api/v1/_auth/me", authorization: revoked.authorization)
            #expect(beforeRevocation.json["name"]?.stringValue == "cora")
            #expect(try await client.admin(.delete, "/api/v1/_admin/keys/\(revoked.id)").status == .noContent)
            authorizations[.revokedKey] = revoked.authorization

            let token = try await client.login("cora", password: password)
            let beforeExpiry = try await client.call(.get, "/api/v1/_auth/me", authorization: token)
            #expect(beforeExpiry.json["name"]?.stringValue == "cora")
            clock.advance(by: sessionLifetime + 1)
            authorizations[.expiredToken] = token

            for identity in [Identity.revokedKey, .expiredToken] {
                let me = try await client.call(.get, "/api/v1/_auth/me", authorization: authorizations[identity])
                #expect(me.status == .unauthorized, "\(identity) still signs in")
            }
            var userIDs: [Identity: String] = [:]
            for identity in [Identity.admin, .creator, .deleteGrantee, .updateGrantee, .readGrantee, .other] {
                let me = try await client.call(.get, "/api/v1/_auth/me", authorization: authorizations[identity])
                userIDs[identity] = me.json["id"]?.stringValue
            }
            return World(client: client, authorizations: authorizations, userIDs: userIDs)
        }

        // MARK: Targets

        func makeTarget(in kind: Kind, owner: Identity, granting grants: [Identity: AccessRight]) async throws
            -> Target
        {
            try await makeTargets(count: 1, in: kind, owner: owner, granting: grants)[0]
        }

        /// Creates `count` entities as `owner` in one bulk request, then grants `grants` on each.
        func makeTargets(
            count: Int,
            in kind: Kind,
            owner: Identity,
            granting grants: [Identity: AccessRight],
            alsoGrantingSpare: Bool = false
        ) async throws -> [Target] {
            let values = (0..<count).map { _ in (title: "title\(randomWord())", secret: "sk\(randomWord())m") }
            let body = JSON.array(
                values.map { JSON.object(["title": .string($0.title), "secret": .string($0.secret)]) }
            )
            let created = try await client.call(
                .post,
                "/api/v1/\(kind.collection)",
                json: body.serialized(),
                authorization: authorization(owner)
            )
            guard created.status == .created, let entities = created.json.arrayValue, entities.count == count else {
                throw FixtureError("creating targets in \(kind): \(created.status) \(created.text)")
            }
            var targets: [Target] = []
            for (entity, value) in zip(entities, values) {
                let target = Target(
                    id: entity["id"]?.stringValue ?? "",
                    title: value.title,
                    secret: value.secret,
                    owner: owner,
                    grants: grants
                )
                for (identity, right) in grants.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    try await grant(right, to: identity.userName ?? "", on: target, in: kind)
                }
                if alsoGrantingSpare { try await grant(.read, to: Self.spare, on: target, in: kind) }
                targets.append(target)
            }
            return targets
        }

        /// Grants `right` on `target` as its owner.
        func grant(_ right: AccessRight, to user: String, on target: Target, in kind: Kind) async throws {
            let response = try await client.call(
                .put,
                "/api/v1/\(kind.collection)/\(target.id)/_access/\(user)",
                json: #"{"right": "\#(right.rawValue)"}"#,
                authorization: authorization(target.owner)
            )
            guard response.status == .ok else {
                throw FixtureError("granting \(right.rawValue) to \(user): \(response.status) \(response.text)")
            }
        }

        // MARK: Checks

        /// Checks the status and error code of `response`, and that it reveals nothing of `target`
        /// when the caller cannot read it.
        func check(
            _ response: TestResponse,
            _ expected: HTTPResponse.Status,
            hiding hidden: [Target],
            _ context: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(
                response.status == expected,
                "\(context): expected \(expected.code), got \(response.status.code) \(response.text)",
                sourceLocation: sourceLocation
            )
            let codes: [Int: String] = [401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND"]
            if let code = codes[expected.code], response.status == expected, response.body.readableBytes > 0 {
                #expect(response.errorCode == code, "\(context)", sourceLocation: sourceLocation)
            }
            if expected == .unauthorized {
                #expect(response.headers[.wwwAuthenticate] != nil, "\(context)", sourceLocation: sourceLocation)
            }
            for target in hidden {
                #expect(
                    !response.reveals(target.secret) && !response.reveals(target.title),
                    "\(context) reveals a value of \(target.id): \(response.headers) \(response.text)",
                    sourceLocation: sourceLocation
                )
            }
        }

        /// Reads of `targets` (made before any other entity of `kind`, so a list holds exactly them).
        func checkReads(of targets: [Target], in kind: Kind, context: String) async throws {
            let base = "/api/v1/\(kind.collection)"
            for identity in Identity.allCases {
                let auth = authorization(identity)
                let hidden = targets.filter { standing(of: identity, on: $0, in: kind).right == nil }
                let visible = targets.filter { lists($0, to: identity, in: kind) }
                let rejected = standing(of: identity, on: targets[0], in: kind) == .rejected

                // The whole collection: the list shows and counts exactly the readable targets.
                for operation in Operation.collectionReads {
                    let uri = operation == .list ? "\(base)?limit=100" : "\(base)?limit=0"
                    let response = try await client.call(.get, uri, authorization: auth)
                    let where_ = "\(context) \(identity) \(operation)"
                    let status = rejected ? HTTPResponse.Status.unauthorized : .ok
                    check(response, status, hiding: hidden, where_)
                    guard !rejected else { continue }
                    #expect(response.total == visible.count, "\(where_): \(response.headers)")
                    #expect(response.ids == Set(operation == .list ? visible.map(\.id) : []), "\(where_)")
                    for target in hidden {
                        #expect(!response.reveals(target.id), "\(where_) lists \(target.id)")
                    }
                }

                for target in targets {
                    let caller = standing(of: identity, on: target, in: kind)
                    let readable = caller.right != nil
                    let hiding = readable ? [] : [target]
                    for operation in Operation.entityReads {
                        let expected = expectedStatus(of: operation, for: caller)
                        let where_ = "\(context) \(identity) \(operation) on \(target.owner)'s \(target.id)"
                        switch operation {
                        case .get, .head:
                            let response = try await client.call(
                                operation == .get ? .get : .head,
                                "\(base)/\(target.id)",
                                authorization: auth
                            )
                            check(response, expected, hiding: hiding, where_)
                            if expected == .ok {
                                #expect(response.headers[.eTag] == "\"1\"", "\(where_)")
                                if operation == .get {
                                    #expect(response.json["secret"]?.stringValue == target.secret, "\(where_)")
                                }
                            } else {
                                #expect(response.headers[.eTag] == nil, "\(where_) sends an ETag")
                            }
                        case .filterEqual, .filterRange, .search:
                            let query =
                                switch operation {
                                case .filterEqual: "eq(secret,\(target.secret))"
                                case .filterRange: "gt(secret,\(target.low))&lt(secret,\(target.high))"
                                default: "search=\(target.secret)"
                                }
                            let response = try await client.call(.get, "\(base)?\(query)", authorization: auth)
                            check(response, expected, hiding: hiding, where_)
                            guard expected == .ok else { continue }
                            #expect(response.total == (readable ? 1 : 0), "\(where_): \(response.headers)")
                            #expect(response.ids == (readable ? [target.id] : []), "\(where_)")
                        case .sharingList:
                            let response = try await client.call(
                                .get,
                                "\(base)/\(target.id)/_access",
                                authorization: auth
                            )
                            check(response, expected, hiding: hiding, where_)
                            if expected == .ok {
                                let entries = response.json.arrayValue?.map {
                                    "\($0["user"]?.stringValue ?? "?"):\($0["right"]?.stringValue ?? "-")"
                                }
                                let invisible = Self.users.map { "\($0.name):-" }.sorted()
                                let expected =
                                    readable ? expectedSharingList(of: target, in: kind) : invisible
                                #expect(entries == expected, "\(where_)")
                            }
                        default:
                            Issue.record("\(operation) is not an entity read")
                        }
                    }
                }
            }
        }

        /// `user:right` of every user on `target`, sorted by right (C, D, U, r, none) then name.
        func expectedSharingList(of target: Target, in kind: Kind) -> [String] {
            let rights = Self.users.map { user -> (String, AccessRight?) in
                guard let identity = user.identity else { return (user.name, kind.defaultRead(signedIn: true)) }
                return (user.name, standing(of: identity, on: target, in: kind).right)
            }
            return
                rights
                .sorted { left, right in
                    let (leftStrength, rightStrength) = (left.1?.strength ?? 0, right.1?.strength ?? 0)
                    return leftStrength != rightStrength ? leftStrength > rightStrength : left.0 < right.0
                }
                .map { "\($0.0):\($0.1?.rawValue ?? "-")" }
        }

        /// Every write on a fresh entity per operation and identity; afterwards the admin checks that
        /// it happened exactly when it was allowed.
        func checkWrites(in kind: Kind, context: String) async throws {
            let base = "/api/v1/\(kind.collection)"
            let cases = Operation.writes.flatMap { operation in Identity.allCases.map { (operation, $0) } }
            let plain = try await makeTargets(
                count: cases.count(where: { $0.0 != .revoke }),
                in: kind,
                owner: .creator,
                granting: Self.standardGrants
            )
            let forRevoke = try await makeTargets(
                count: cases.count(where: { $0.0 == .revoke }),
                in: kind,
                owner: .creator,
                granting: Self.standardGrants,
                alsoGrantingSpare: true
            )
            var plainTargets = plain[...]
            var revokeTargets = forRevoke[...]
            for (operation, identity) in cases {
                let target = operation == .revoke ? revokeTargets.removeFirst() : plainTargets.removeFirst()
                let caller = standing(of: identity, on: target, in: kind)
                let expected = expectedStatus(of: operation, for: caller)
                let succeeds = expected.code < 300
                let hiding = caller.right == nil ? [target] : []
                let auth = authorization(identity)
                let where_ = "\(context) \(identity) \(operation)"
                let path = "\(base)/\(target.id)"
                let response: TestResponse
                switch operation {
                case .update:
                    response = try await client.call(.put, path, json: #"{"title": "updated"}"#, authorization: auth)
                case .mergePatch:
                    response = try await client.call(.patch, path, json: #"{"title": "patched"}"#, authorization: auth)
                case .delete:
                    response = try await client.call(.delete, path, authorization: auth)
                case .action:
                    response = try await client.call(.post, "\(path)/seal", authorization: auth)
                case .bulkUpdate:
                    let body = #"[{"id": "\#(target.id)", "title": "bulk"}]"#
                    response = try await client.call(.put, base, json: body, authorization: auth)
                case .bulkDelete:
                    response = try await client.call(.delete, base, json: #"["\#(target.id)"]"#, authorization: auth)
                case .grant:
                    response = try await client.call(
                        .put,
                        "\(path)/_access/\(Self.spare)",
                        json: #"{"right": "r"}"#,
                        authorization: auth
                    )
                case .revoke:
                    response = try await client.call(.delete, "\(path)/_access/\(Self.spare)", authorization: auth)
                default:
                    Issue.record("\(operation) is not a write")
                    continue
                }
                check(response, expected, hiding: hiding, where_)
                try await checkEffect(of: operation, on: target, happened: succeeds, in: kind, where_)
                if succeeds, response.status == expected {
                    switch operation {
                    case .update, .mergePatch, .action:
                        #expect(response.json["_meta"]?["version"] == .integer(2), "\(where_)")
                    case .bulkUpdate:
                        #expect(response.ids == [target.id], "\(where_)")
                    case .grant:
                        #expect(response.json["user"]?.stringValue == Self.spare, "\(where_)")
                        #expect(response.json["right"]?.stringValue == "r", "\(where_)")
                        #expect(response.json["granted_by"]?.stringValue == identity.userName, "\(where_)")
                    default: break
                    }
                }
            }
        }

        /// Whether the write took effect, as the admin sees it.
        func checkEffect(of operation: Operation, on target: Target, happened: Bool, in kind: Kind, _ where_: String)
            async throws
        {
            let path = "/api/v1/\(kind.collection)/\(target.id)"
            switch operation {
            case .update, .mergePatch, .action, .bulkUpdate:
                let entity = try await client.admin(.get, path)
                #expect(
                    entity.json["_meta"]?["version"] == .integer(happened ? 2 : 1),
                    "\(where_): the entity is now \(entity.text)"
                )
                #expect(entity.json["secret"]?.stringValue == target.secret, "\(where_)")
            case .delete, .bulkDelete:
                let entity = try await client.admin(.get, path)
                #expect(entity.status == (happened ? .notFound : .ok), "\(where_): the entity is now \(entity.text)")
            case .grant, .revoke:
                let list = try await client.admin(.get, "\(path)/_access")
                let spare = list.json.arrayValue?.first { $0["user"]?.stringValue == Self.spare }
                let holdsGrant = spare?["grant_id"].map { $0 != .null } ?? false
                #expect(holdsGrant == ((operation == .grant) == happened), "\(where_): \(list.text)")
            default:
                break
            }
        }

        /// Creating an entity: 401 anonymous (and with rejected credentials), 201 signed in.
        func checkCreates(in kind: Kind, context: String) async throws {
            let base = "/api/v1/\(kind.collection)"
            for identity in Identity.allCases {
                let caller: Standing =
                    switch identity {
                    case .revokedKey, .expiredToken: .rejected
                    case .anonymous: .anonymous(nil)
                    default: .signedIn(nil)
                    }
                let expected = expectedStatus(of: .create, for: caller)
                let secret = "sk\(randomWord())m"
                let response = try await client.call(
                    .post,
                    base,
                    json: #"{"title": "new", "secret": "\#(secret)"}"#,
                    authorization: authorization(identity)
                )
                let where_ = "\(context) \(identity) create"
                check(response, expected, hiding: [], where_)
                let stored = try await client.admin(.get, "\(base)?eq(secret,\(secret))")
                #expect(stored.total == (expected == .created ? 1 : 0), "\(where_): \(stored.text)")
                if expected == .created, response.status == .created {
                    #expect(response.json["_meta"]?["createdBy"]?.stringValue == userID(identity), "\(where_)")
                    #expect(response.headers[.location]?.hasPrefix("\(base)/") == true, "\(where_)")
                }
            }
        }
    }
}
