import EntityModel
import EntityService
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestStores
import Testing

/// The schema of the OData access tests: the access schema plus a public `shelves` collection that
/// every collection references (`shelf`, inverse `vaults`/`memos`/`notices`), a shelf's `featured`
/// vault, and functions of each kind (Tests/Fixtures/odata-access-schema.json).
let odataAccessSchemaURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/odata-access-schema.json")

/// The access matrix under `/odata`: the same identities, entities and expectations as
/// ``AccessMatrixTests``, through lists, counts, reads by key, properties, `$filter`, `$search`,
/// `$expand`, navigations, function results, writes, actions, creates and `$batch` parts. An entity
/// the caller cannot read is absent everywhere and 404 when addressed, and nothing of it shows.
struct AccessMatrixODataTests {
    typealias Identity = AccessMatrixTests.Identity
    typealias Kind = AccessMatrixTests.Kind
    typealias Target = AccessMatrixTests.Target
    typealias World = AccessMatrixTests.World

    static func withODataAccessServer(
        _ backend: StoreBackend,
        clock: TestClock,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let accounts = Accounts.Configuration(bcryptCost: 4, sessionLifetime: 3600, now: { clock.now() })
        try await withServer(backend, schema: odataAccessSchemaURL, accounts: accounts, body)
    }

    /// The OData navigation from a shelf to the entities of `kind`.
    static func inverse(_ kind: Kind) -> String { kind.collection }

    /// Creates `count` entities of `kind` on `shelf` as `owner` (REST), granting `grants` on each.
    static func makeTargets(
        _ world: World,
        count: Int,
        in kind: Kind,
        shelf: String,
        owner: Identity,
        granting grants: [Identity: AccessRight]
    ) async throws -> [Target] {
        var targets: [Target] = []
        for _ in 0..<count {
            let (title, secret) = ("title\(randomWord())", "sk\(randomWord())m")
            let created = try await world.client.call(
                .post,
                "/api/v1/\(kind.collection)",
                json: #"{"title": "\#(title)", "secret": "\#(secret)", "shelfId": "\#(shelf)"}"#,
                authorization: world.authorization(owner)
            )
            guard created.status == .created, let id = created.json["id"]?.stringValue else {
                throw FixtureError("creating a target in \(kind): \(created.status) \(created.text)")
            }
            let target = Target(id: id, title: title, secret: secret, owner: owner, grants: grants)
            for (identity, right) in grants.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await world.grant(right, to: identity.userName ?? "", on: target, in: kind)
            }
            targets.append(target)
        }
        return targets
    }

    static func makeShelf(_ client: any TestClientProtocol) async throws -> String {
        let shelf = try await client.admin(.post, "/api/v1/shelves", json: #"{"title": "shelf"}"#)
        guard shelf.status == .created, let id = shelf.json["id"]?.stringValue else {
            throw FixtureError("creating a shelf: \(shelf.status) \(shelf.text)")
        }
        return id
    }

    // MARK: Reads

    @Test(arguments: StoreBackend.allCases)
    func readsThroughOData(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await Self.withODataAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            for kind in Kind.allCases {
                let shelf = try await Self.makeShelf(client)
                let probe = try await Self.makeTargets(
                    world,
                    count: 1,
                    in: kind,
                    shelf: shelf,
                    owner: .creator,
                    granting: World.standardGrants
                )[0]
                let decoy = try await Self.makeTargets(
                    world,
                    count: 1,
                    in: kind,
                    shelf: shelf,
                    owner: .other,
                    granting: [:]
                )[0]
                if kind == .private {
                    let featured = try await client.admin(
                        .patch,
                        "/api/v1/shelves/\(shelf)",
                        json: #"{"featuredId": "\#(probe.id)"}"#
                    )
                    #expect(featured.status == .ok, "\(featured.text)")
                }
                try await checkReads(world, of: [probe, decoy], in: kind, shelf: shelf, context: "\(backend) \(kind)")
            }
        }
    }

    func checkReads(_ world: World, of targets: [Target], in kind: Kind, shelf: String, context: String) async throws {
        let client = world.client
        let set = kind.collection
        for identity in Identity.allCases {
            let auth = world.authorization(identity)
            let hidden = targets.filter { AccessMatrixTests.standing(of: identity, on: $0, in: kind).right == nil }
            let visible = targets.filter { AccessMatrixTests.lists($0, to: identity, in: kind) }
            let rejected = AccessMatrixTests.standing(of: identity, on: targets[0], in: kind) == .rejected
            let okOrRejected: HTTPResponse.Status = rejected ? .unauthorized : .ok
            let visibleIDs = Set(visible.map(\.id))

            /// Checks status, the OData error body, and that nothing of `hidden` shows.
            func check(_ response: TestResponse, _ expected: HTTPResponse.Status, _ what: String) {
                let where_ = "\(context) \(identity) \(what)"
                #expect(
                    response.status == expected,
                    "\(where_): expected \(expected.code), got \(response.status.code) \(response.text)"
                )
                if response.status.code >= 400, response.status == expected {
                    expectODataErrorBody(response, where_)
                }
                if expected == .unauthorized {
                    #expect(response.headers[.wwwAuthenticate] != nil, "\(where_)")
                }
                for target in hidden {
                    #expect(
                        !response.reveals(target.secret) && !response.reveals(target.title),
                        "\(where_) reveals \(target.id): \(response.headers) \(response.text)"
                    )
                }
            }

            // Public documents: anonymous too; rejected credentials are 401 as on /api/v1.
            for document in ["", "$metadata"] {
                let response = try await client.od(.get, document, authorization: auth)
                check(response, okOrRejected, "GET /odata/\(document)")
            }

            // The whole set, its count both ways.
            let list = try await client.od(.get, "\(set)?$count=true", authorization: auth)
            check(list, okOrRejected, "list")
            let count = try await client.od(.get, "\(set)/$count", authorization: auth)
            check(count, okOrRejected, "/$count")
            // Through the shelf: $expand, the navigation, its count, a hidden member by key.
            let expanded = try await client.od(.get, "\(OD.key("shelves", shelf))?$expand=\(set)", authorization: auth)
            check(expanded, okOrRejected, "$expand=\(set)")
            let expandedList = try await client.od(.get, "shelves?$expand=\(set)($count=true)", authorization: auth)
            check(expandedList, okOrRejected, "shelves?$expand=\(set)")
            let navigation = try await client.od(.get, "\(OD.key("shelves", shelf))/\(set)", authorization: auth)
            check(navigation, okOrRejected, "navigation \(set)")
            let navigationCount = try await client.od(
                .get,
                "\(OD.key("shelves", shelf))/\(set)/$count",
                authorization: auth
            )
            check(navigationCount, okOrRejected, "navigation \(set)/$count")
            let filteredNavigation = try await client.od(
                .get,
                "\(OD.key("shelves", shelf))/\(set)?$filter=startswith(secret,'sk')&$count=true",
                authorization: auth
            )
            check(filteredNavigation, okOrRejected, "navigation with $filter")
            if !rejected {
                #expect(list.valueIDs == visibleIDs, "\(context) \(identity) list")
                #expect(list.json["@odata.count"] == .integer(Int64(visible.count)), "\(context) \(identity) count")
                #expect(count.text == "\(visible.count)", "\(context) \(identity) /$count: \(count.text)")
                let expandedIDs = Set(
                    expanded.json[set]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? ["none"]
                )
                #expect(expandedIDs == visibleIDs, "\(context) \(identity) $expand: \(expanded.text)")
                let listedShelf = expandedList.values.first { $0["id"]?.stringValue == shelf }
                #expect(
                    Set(listedShelf?[set]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? ["none"]) == visibleIDs,
                    "\(context) \(identity) shelves?$expand: \(expandedList.text)"
                )
                #expect(
                    listedShelf?["\(set)@odata.count"] == .integer(Int64(visible.count)),
                    "\(context) \(identity) $expand($count=true): \(expandedList.text)"
                )
                #expect(navigation.valueIDs == visibleIDs, "\(context) \(identity) navigation")
                #expect(navigationCount.text == "\(visible.count)", "\(context) \(identity) navigation $count")
                #expect(filteredNavigation.valueIDs == visibleIDs, "\(context) \(identity) navigation $filter")
                #expect(
                    filteredNavigation.json["@odata.count"] == .integer(Int64(visible.count)),
                    "\(context) \(identity) navigation $filter count"
                )
            }

            for target in targets {
                let caller = AccessMatrixTests.standing(of: identity, on: target, in: kind)
                let readable = caller.right != nil
                let expected = AccessMatrixTests.expectedStatus(of: .get, for: caller)
                let key = OD.key(set, target.id)
                let what = "on \(target.owner)'s \(target.id)"

                let get = try await client.od(.get, key, authorization: auth)
                check(get, expected, "GET \(what)")
                if expected == .ok {
                    #expect(get.headers[.eTag] == OD.etag(1), "\(context) \(identity) ETag \(what)")
                    #expect(get.json["@odata.etag"]?.stringValue == OD.etag(1), "\(context) \(identity)")
                    #expect(get.json["secret"]?.stringValue == target.secret, "\(context) \(identity) \(what)")
                } else {
                    #expect(get.headers[.eTag] == nil, "\(context) \(identity) ETag \(what)")
                }
                for suffix in ["/secret", "/secret/$value", "/shelf", "/notes"]
                where suffix != "/notes" || kind == .private {
                    let response = try await client.od(.get, key + suffix, authorization: auth)
                    check(response, expected, "GET \(suffix) \(what)")
                }
                let byNavigation = try await client.od(
                    .get,
                    "\(OD.key("shelves", shelf))/\(set)('\(target.id)')",
                    authorization: auth
                )
                check(byNavigation, expected, "GET through the shelf \(what)")

                // Queries that name the secret find it only when readable.
                let queries =
                    [
                        "\(set)?$filter=secret%20eq%20'\(target.secret)'&$count=true",
                        "\(set)?$filter=secret%20gt%20'\(target.low)'%20and%20secret%20lt%20'\(target.high)'&$count=true",
                        "\(set)?$search=\(target.secret)&$count=true",
                        "\(set)/EntityHub.withSecret(s='\(target.secret)')?$count=true",
                        "\(set)/EntityHub.withSecret(s=@s)?@s='\(target.secret)'&$count=true",
                    ] + (kind == .private ? ["vaultsWithSecret(s='\(target.secret)')?$count=true"] : [])
                for query in queries {
                    let response = try await client.od(.get, query, authorization: auth)
                    check(response, okOrRejected, query)
                    guard !rejected else { continue }
                    #expect(response.valueIDs == (readable ? [target.id] : []), "\(context) \(identity) \(query)")
                    #expect(
                        response.json["@odata.count"] == .integer(readable ? 1 : 0),
                        "\(context) \(identity) \(query): \(response.text)"
                    )
                }
                // Filters on the shelves that look through navigations at the target: a shelf matches
                // only for a caller who can read it (or the filter tells its secret).
                var probes = [
                    "shelves?$filter=\(set)/any(v:v/secret%20eq%20'\(target.secret)')&$count=true",
                    "shelves?$filter=\(set)/any(v:startswith(v/secret,'\(target.secret.prefix(8))'))&$count=true",
                    "shelves?$filter=not%20\(set)/all(v:v/secret%20ne%20'\(target.secret)')&$count=true",
                    "\(OD.key("shelves", shelf))/\(set)?$filter=secret%20eq%20'\(target.secret)'&$count=true",
                ]
                if kind == .private, target.id == targets.first?.id {
                    probes.append("shelves?$filter=featured/secret%20eq%20'\(target.secret)'&$count=true")
                }
                for probe in probes {
                    let response = try await client.od(.get, probe, authorization: auth)
                    check(response, okOrRejected, probe)
                    guard !rejected else { continue }
                    let expectedIDs: Set<String> = readable ? (probe.hasPrefix("shelves(") ? [target.id] : [shelf]) : []
                    #expect(response.valueIDs == expectedIDs, "\(context) \(identity) \(probe): \(response.text)")
                    #expect(
                        response.json["@odata.count"] == .integer(readable ? 1 : 0),
                        "\(context) \(identity) \(probe)"
                    )
                }
                let nestedExpand = try await client.od(
                    .get,
                    "\(OD.key("shelves", shelf))?$expand=\(set)($filter=secret%20eq%20'\(target.secret)';$count=true)",
                    authorization: auth
                )
                check(nestedExpand, okOrRejected, "$expand with a nested $filter")
                if !rejected {
                    let ids = Set(nestedExpand.json[set]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? ["none"])
                    #expect(ids == (readable ? [target.id] : []), "\(context) \(identity) \(nestedExpand.text)")
                }
                let references = try await client.od(
                    .get,
                    "\(OD.key("shelves", shelf))/\(set)/$ref",
                    authorization: auth
                )
                check(references, okOrRejected, "\(set)/$ref")
                if !rejected {
                    let listed = references.values.compactMap { $0["@odata.id"]?.stringValue }
                    #expect(
                        listed.contains { $0.contains(target.id) } == readable,
                        "\(context) \(identity) $ref: \(references.text)"
                    )
                }
                let counted = try await client.od(
                    .get,
                    "\(set)/EntityHub.countSecret(s='\(target.secret)')",
                    authorization: auth
                )
                check(counted, okOrRejected, "countSecret \(what)")
                if !rejected {
                    #expect(
                        counted.json["value"] == .integer(readable ? 1 : 0),
                        "\(context) \(identity) \(counted.text)"
                    )
                }
                let test = try await client.od(
                    .get,
                    "\(key)/EntityHub.hasSecret(s='\(target.secret)')",
                    authorization: auth
                )
                check(test, expected, "hasSecret \(what)")
                if expected == .ok { #expect(test.json["value"] == true, "\(context) \(identity) \(test.text)") }
            }

            // The shelf's single-valued navigation to the probe (vaults only).
            if kind == .private, let probe = targets.first {
                let readable = AccessMatrixTests.standing(of: identity, on: probe, in: kind).right != nil
                let expandedFeatured = try await client.od(
                    .get,
                    "\(OD.key("shelves", shelf))?$expand=featured",
                    authorization: auth
                )
                check(expandedFeatured, okOrRejected, "$expand=featured")
                let featured = try await client.od(.get, "\(OD.key("shelves", shelf))/featured", authorization: auth)
                if rejected {
                    check(featured, .unauthorized, "featured")
                } else if readable {
                    check(featured, .ok, "featured")
                    #expect(expandedFeatured.json["featured"]?["secret"]?.stringValue == probe.secret)
                } else {
                    // Like a reference to nothing (204) or a missing entity (404); never its values.
                    check(featured, featured.status == .noContent ? .noContent : .notFound, "featured")
                    #expect(
                        expandedFeatured.json["featured"] == .null || expandedFeatured.json["featured"] == nil,
                        "\(context) \(identity) \(expandedFeatured.text)"
                    )
                }
            }
        }
    }

    // MARK: Writes

    enum Write: String, CaseIterable, CustomStringConvertible {
        case patch, put, delete, action, propertyPut, propertyDelete

        var description: String { rawValue }

        var operation: AccessMatrixTests.Operation {
            switch self {
            case .patch, .propertyPut, .propertyDelete: .mergePatch
            case .put: .update
            case .delete: .delete
            case .action: .action
            }
        }
    }

    /// Every write on a fresh entity per write and identity, directly and as the only request of a
    /// changeset; the admin then checks that it happened exactly when allowed.
    @Test(arguments: StoreBackend.allCases)
    func writesThroughOData(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await Self.withODataAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            for kind in Kind.allCases {
                let shelf = try await Self.makeShelf(client)
                for inBatch in [false, true] {
                    try await checkWrites(world, in: kind, shelf: shelf, inBatch: inBatch, "\(backend) \(kind)")
                }
                try await checkCreates(world, in: kind, "\(backend) \(kind)")
            }
        }
    }

    func checkWrites(_ world: World, in kind: Kind, shelf: String, inBatch: Bool, _ context: String) async throws {
        let client = world.client
        let cases = Write.allCases.flatMap { write in Identity.allCases.map { (write, $0) } }
        let targets = try await Self.makeTargets(
            world,
            count: cases.count,
            in: kind,
            shelf: shelf,
            owner: .creator,
            granting: World.standardGrants
        )
        for ((write, identity), target) in zip(cases, targets) {
            let caller = AccessMatrixTests.standing(of: identity, on: target, in: kind)
            var expected = AccessMatrixTests.expectedStatus(of: write.operation, for: caller)
            let succeeds = expected.code < 300
            if succeeds { expected = write == .action ? .ok : .noContent }
            let key = OD.key(kind.collection, target.id)
            let (method, path, body): (String, String, String?) =
                switch write {
                case .patch: ("PATCH", key, #"{"title": "patched"}"#)
                case .put: ("PUT", key, #"{"title": "replaced", "secret": "\#(target.secret)"}"#)
                case .delete: ("DELETE", key, nil)
                case .action: ("POST", "\(key)/EntityHub.seal", "{}")
                case .propertyPut: ("PUT", "\(key)/title", #"{"value": "set"}"#)
                case .propertyDelete: ("DELETE", "\(key)/state", nil)
                }
            let where_ = "\(context) \(identity) \(write)\(inBatch ? " in a changeset" : "")"
            let status: Int
            let text: String
            if inBatch {
                let (response, answers) = try await client.multipart(
                    [.changeset([BatchPart(method, path, body, id: "1")])],
                    authorization: world.authorization(identity)
                )
                if caller == .rejected {
                    (status, text) = (Int(response.status.code), response.text)
                } else {
                    #expect(response.status == .ok, "\(where_): \(response.text)")
                    #expect(answers.count == 1, "\(where_): \(answers)")
                    (status, text) = (answers.first?.status ?? 0, answers.first?.body ?? "")
                }
            } else {
                let response = try await client.od(
                    HTTPRequest.Method(method)!,
                    path,
                    body,
                    authorization: world.authorization(identity)
                )
                (status, text) = (Int(response.status.code), response.text)
                if response.status.code >= 400 { expectODataErrorBody(response, where_) }
            }
            // PATCH/PUT of an entity the caller cannot see must not turn into an upsert: 404, as on
            // /api/v1, not the create's answer (412 "exists", 401 "sign in to create"), in a changeset too.
            #expect(status == Int(expected.code), "\(where_): expected \(expected.code), got \(status) \(text)")
            if caller.right == nil {
                #expect(
                    !text.contains(target.secret) && !text.contains(target.title),
                    "\(where_) reveals \(target.id): \(text)"
                )
            }
            // The effect, as the admin sees it.
            let stored = try await client.admin(.get, "/api/v1/\(kind.collection)/\(target.id)")
            switch write {
            case .delete:
                #expect(stored.status == (succeeds ? .notFound : .ok), "\(where_): now \(stored.text)")
            default:
                #expect(stored.status == .ok, "\(where_): \(stored.text)")
                #expect(
                    stored.json["_meta"]?["version"] == .integer(succeeds ? 2 : 1),
                    "\(where_): the entity is now \(stored.text)"
                )
                #expect(stored.json["secret"]?.stringValue == target.secret, "\(where_)")
            }
        }
    }

    /// `POST /odata/SET`: 401 anonymous and with rejected credentials, 201 signed in (created by them).
    func checkCreates(_ world: World, in kind: Kind, _ context: String) async throws {
        let client = world.client
        for identity in Identity.allCases {
            let expected: HTTPResponse.Status =
                switch identity {
                case .revokedKey, .expiredToken, .anonymous: .unauthorized
                default: .created
                }
            let secret = "sk\(randomWord())m"
            let response = try await client.od(
                .post,
                kind.collection,
                #"{"title": "new", "secret": "\#(secret)"}"#,
                authorization: world.authorization(identity)
            )
            let where_ = "\(context) \(identity) create"
            #expect(response.status == expected, "\(where_): \(response.text)")
            let stored = try await client.admin(.get, "/api/v1/\(kind.collection)?eq(secret,\(secret))")
            #expect(stored.total == (expected == .created ? 1 : 0), "\(where_): \(stored.text)")
            if expected == .created, response.status == .created {
                let id = response.json["id"]?.stringValue ?? ""
                #expect(response.headers[.location]?.hasSuffix(OD.key(kind.collection, id)) == true, "\(where_)")
                #expect(stored.json.arrayValue?.first?["_meta"]?["createdBy"]?.stringValue == world.userID(identity))
            } else {
                expectODataErrorBody(response, where_)
            }
        }
    }

    // MARK: Batch parts

    /// The reads of a `$batch` answer as the same requests alone: per part, the same status and
    /// nothing of an entity the caller cannot read; credentials rejected → 401 for the whole batch.
    /// A changeset holding one forbidden write does nothing.
    @Test(arguments: StoreBackend.allCases)
    func batchPartsFollowTheMatrix(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await Self.withODataAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            let kind = Kind.private
            let shelf = try await Self.makeShelf(client)
            let targets = try await Self.makeTargets(
                world,
                count: 2,
                in: kind,
                shelf: shelf,
                owner: .creator,
                granting: World.standardGrants
            )
            let decoy = try await Self.makeTargets(
                world,
                count: 1,
                in: kind,
                shelf: shelf,
                owner: .other,
                granting: [:]
            )
            let all = targets + decoy
            for identity in Identity.allCases {
                let auth = world.authorization(identity)
                let rejected = AccessMatrixTests.standing(of: identity, on: all[0], in: kind) == .rejected
                let hidden = all.filter { AccessMatrixTests.standing(of: identity, on: $0, in: kind).right == nil }
                let visible = Set(all.filter { AccessMatrixTests.lists($0, to: identity, in: kind) }.map(\.id))
                let parts: [BatchItem] =
                    all.map { .part(BatchPart("GET", OD.key(kind.collection, $0.id))) } + [
                        .part(BatchPart("GET", "\(kind.collection)?$count=true")),
                        .part(BatchPart("GET", "\(OD.key("shelves", shelf))?$expand=vaults")),
                        .part(BatchPart("GET", "\(kind.collection)/$count")),
                    ]
                var headers = HTTPFields()
                headers[.preferHeader] = "odata.continue-on-error"
                let (response, answers) = try await client.multipart(parts, headers: headers, authorization: auth)
                let where_ = "\(backend) \(identity) batch"
                for target in hidden {
                    #expect(
                        !response.reveals(target.secret) && !response.reveals(target.title),
                        "\(where_) reveals \(target.id): \(response.text)"
                    )
                }
                if rejected {
                    expectODataError(response, .unauthorized, where_)
                    continue
                }
                #expect(response.status == .ok, "\(where_): \(response.text)")
                #expect(answers.count == all.count + 3, "\(where_): \(answers)")
                guard answers.count == all.count + 3 else { continue }
                for (target, answer) in zip(all, answers) {
                    let caller = AccessMatrixTests.standing(of: identity, on: target, in: kind)
                    let expected = AccessMatrixTests.expectedStatus(of: .get, for: caller)
                    #expect(answer.status == Int(expected.code), "\(where_) GET \(target.id): \(answer)")
                }
                let list = answers[all.count].json
                #expect(
                    Set(list["value"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == visible,
                    "\(where_) list"
                )
                #expect(list["@odata.count"] == .integer(Int64(visible.count)), "\(where_) count")
                let expanded = answers[all.count + 1].json["vaults"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                #expect(Set(expanded ?? ["none"]) == visible, "\(where_) $expand")
                #expect(answers[all.count + 2].body == "\(visible.count)", "\(where_) $count")
            }

            // A changeset that the read grantee may half do: nothing at all.
            let rhea = world.authorization(.readGrantee)
            let uma = world.authorization(.updateGrantee)
            let (_, mixed) = try await client.multipart(
                [
                    .changeset([
                        BatchPart("POST", "shelves", #"{"title": "by rhea"}"#, id: "1"),
                        BatchPart("PATCH", OD.key("vaults", targets[0].id), #"{"title": "x"}"#, id: "2"),
                    ])
                ],
                authorization: rhea
            )
            #expect(mixed.count == 1 && mixed.first?.status == 403, "\(backend) \(mixed)")
            #expect(try await client.restTotal("shelves", "eq(title,by%20rhea)") == 0, "\(backend)")
            // … and one that touches an entity the caller cannot see: 404, nothing, no values.
            let (raw, hiddenWrite) = try await client.multipart(
                [
                    .changeset([
                        BatchPart("PATCH", OD.key("vaults", targets[1].id), #"{"title": "y"}"#, id: "1"),
                        BatchPart("DELETE", OD.key("vaults", decoy[0].id), id: "2"),
                    ])
                ],
                authorization: uma
            )
            #expect(hiddenWrite.count == 1 && hiddenWrite.first?.status == 404, "\(backend) \(hiddenWrite)")
            #expect(!raw.reveals(decoy[0].secret) && !raw.reveals(decoy[0].title))
            let untouched = try await client.admin(.get, "/api/v1/vaults/\(targets[1].id)")
            #expect(untouched.json["_meta"]?["version"] == .integer(1), "\(backend) \(untouched.text)")
            #expect(try await client.admin(.get, "/api/v1/vaults/\(decoy[0].id)").status == .ok)
        }
    }

    // MARK: Links

    /// A reference may only name an entity the writer can read (issue 13 §1: else 400): through
    /// `Nav@odata.bind`, `PUT Nav/$ref`, `POST Nav/$ref`; the error says nothing of the entity, and
    /// nothing is linked. Readable targets link.
    @Test(arguments: StoreBackend.allCases)
    func linksOnlyToReadableEntities(_ backend: StoreBackend) async throws {
        let clock = TestClock()
        try await Self.withODataAccessServer(backend, clock: clock) { client in
            let world = try await World.make(client, clock: clock, sessionLifetime: 3600)
            let shelf = try await Self.makeShelf(client)
            let hidden = try await Self.makeTargets(
                world,
                count: 1,
                in: .private,
                shelf: shelf,
                owner: .creator,
                granting: [:]
            )[0]
            let own = try await Self.makeTargets(
                world,
                count: 1,
                in: .private,
                shelf: shelf,
                owner: .other,
                granting: [:]
            )[0]
            let otto = world.authorization(.other)
            let created = try await client.od(.post, "shelves", #"{"title": "otto's"}"#, authorization: otto)
            #expect(created.status == .created, "\(backend) \(created.text)")
            let ottoShelf = created.json["id"]?.stringValue ?? ""
            let shelfKey = OD.key("shelves", ottoShelf)
            let attempts: [(HTTPRequest.Method, String, String)] = [
                (.post, "shelves", #"{"title": "x", "featured@odata.bind": "vaults('\#(hidden.id)')"}"#),
                (.patch, shelfKey, #"{"featured@odata.bind": "vaults('\#(hidden.id)')"}"#),
                (.patch, shelfKey, #"{"featuredId": "\#(hidden.id)"}"#),
                (.put, "\(shelfKey)/featured/$ref", #"{"@odata.id": "vaults('\#(hidden.id)')"}"#),
                (.post, "\(OD.key("shelves", shelf))/vaults/$ref", #"{"@odata.id": "vaults('\#(hidden.id)')"}"#),
            ]
            for (method, path, body) in attempts {
                let response = try await client.od(method, path, body, authorization: otto)
                let context = "\(backend) \(method) \(path) \(body)"
                #expect(response.status == .badRequest || response.status == .notFound, "\(context): \(response.text)")
                expectODataErrorBody(response, context)
                #expect(!response.reveals(hidden.secret) && !response.reveals(hidden.title), "\(context)")
            }
            #expect(try await client.restTotal("shelves", "eq(featuredId,\(hidden.id))") == 0, "\(backend)")
            let stillOnShelf = try await client.admin(.get, "/api/v1/vaults/\(hidden.id)")
            #expect(stillOnShelf.json["_meta"]?["version"] == .integer(1), "\(backend) \(stillOnShelf.text)")

            // The same links to a vault otto can read work.
            let bound = try await client.od(
                .patch,
                shelfKey,
                #"{"featured@odata.bind": "vaults('\#(own.id)')"}"#,
                authorization: otto
            )
            #expect(bound.status == .noContent || bound.status == .ok, "\(backend) \(bound.text)")
            let featured = try await client.od(.get, "\(shelfKey)/featured/$ref", authorization: otto)
            #expect(featured.json["@odata.id"]?.stringValue?.contains(own.id) == true, "\(backend) \(featured.text)")
        }
    }
}
