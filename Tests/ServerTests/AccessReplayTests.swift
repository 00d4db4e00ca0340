import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// Replays of idempotent writes against the rights of now: a repeated `Idempotency-Key` answers with
/// the written entities as they are now, read under the rules of `GET`. Every identity of the matrix,
/// every replayable write, every collection read default, on both backends: after the caller lost its
/// grant, after the entity was deleted, and after someone else created another entity under its id.
extension AccessMatrixTests {
    /// The writes a client repeats with the same key.
    enum ReplayedWrite: String, CaseIterable, Sendable, CustomStringConvertible {
        case update, mergePatch, bulkUpdate, delete

        var description: String { rawValue }

        func send(_ world: World, on target: Target, in kind: Kind, as identity: Identity, key: String)
            async throws -> TestResponse
        {
            let base = "/api/v1/\(kind.collection)"
            let path = "\(base)/\(target.id)"
            let headers: HTTPFields = [.init("Idempotency-Key")!: key]
            let auth = world.authorization(identity)
            let (method, uri, body): (HTTPRequest.Method, String, String?) =
                switch self {
                case .update: (.put, path, #"{"state": "put"}"#)
                case .mergePatch: (.patch, path, #"{"state": "patched"}"#)
                case .bulkUpdate: (.put, base, #"[{"id": "\#(target.id)", "state": "bulk"}]"#)
                case .delete: (.delete, path, nil)
                }
            return try await world.client.send(method, uri, json: body, headers: headers, authorization: auth)
        }

        /// The operation of the access matrix this write is.
        var operation: AccessMatrixTests.Operation {
            switch self {
            case .update: .update
            case .mergePatch: .mergePatch
            case .bulkUpdate: .bulkUpdate
            case .delete: .delete
            }
        }

        /// The status of the first attempt, and of a replay while the written entity is readable.
        var success: HTTPResponse.Status { self == .delete ? .noContent : .ok }
    }

    @Test(arguments: StoreBackend.allCases)
    func replaysShowNoMoreThanTheCallerMayReadNow(_ backend: StoreBackend) async throws {
        try await withWorld(backend) { client, world in
            for kind in Kind.allCases {
                for identity in Identity.allCases {
                    for write in ReplayedWrite.allCases {
                        try await world.checkReplays(of: write, as: identity, in: kind, "\(backend) \(kind)")
                    }
                }
            }
        }
    }

    /// A repeated `POST {"id": I, …}` never answers with another user's entity created later under I.
    @Test(arguments: StoreBackend.allCases)
    func replayedCreatesNeverReturnAnEntityCreatedLaterUnderTheirID(_ backend: StoreBackend) async throws {
        try await withWorld(backend) { client, world in
            for kind in Kind.allCases {
                for identity in [Identity.creator, .admin, .other] {
                    let context = "\(backend) \(kind) \(identity) create"
                    let base = "/api/v1/\(kind.collection)"
                    let id = "R-\(randomWord())"
                    let key = "create-\(randomWord())"
                    let body = #"{"id": "\#(id)", "title": "mine"}"#
                    let headers: HTTPFields = [.init("Idempotency-Key")!: key]
                    let auth = world.authorization(identity)
                    let first = try await client.send(.post, base, json: body, headers: headers, authorization: auth)
                    #expect(first.status == .created, "\(context): \(first.text)")
                    let replay = try await client.send(.post, base, json: body, headers: headers, authorization: auth)
                    #expect(replay.status == .created && replay.json["id"]?.stringValue == id, "\(context) replay")

                    #expect(try await client.admin(.delete, "\(base)/\(id)").status == .noContent)
                    let gone = try await client.send(.post, base, json: body, headers: headers, authorization: auth)
                    world.check(gone, .notFound, hiding: [], "\(context) replay after the delete")

                    let someoneElse: Identity = identity == .creator ? .updateGrantee : .creator
                    let secret = "sk\(randomWord())m"
                    let recreated = try await client.call(
                        .post,
                        base,
                        json: #"{"id": "\#(id)", "title": "theirs", "secret": "\#(secret)"}"#,
                        authorization: world.authorization(someoneElse)
                    )
                    #expect(recreated.status == .created, "\(context): \(recreated.text)")
                    let later = Target(id: id, title: "theirs", secret: secret, owner: someoneElse, grants: [:])
                    let again = try await client.send(.post, base, json: body, headers: headers, authorization: auth)
                    world.check(again, .notFound, hiding: [later], "\(context) replay after another user's create")
                }
            }
        }
    }
}

/// Runs `body` against an access server holding the matrix's users.
private func withWorld(
    _ backend: StoreBackend,
    _ body: @Sendable (any TestClientProtocol, AccessMatrixTests.World) async throws -> Void
) async throws {
    let clock = TestClock()
    try await withAccessServer(backend, clock: clock) { client in
        try await body(client, try await AccessMatrixTests.World.make(client, clock: clock, sessionLifetime: 60 * 60))
    }
}

extension AccessMatrixTests.World {
    typealias Identity = AccessMatrixTests.Identity
    typealias Kind = AccessMatrixTests.Kind
    typealias Target = AccessMatrixTests.Target

    /// One write as `identity` with a key, then replays of it: while nothing changed; after the
    /// caller's grant was revoked and the entity changed (the new values appear only where the caller
    /// may still read it); after the entity was deleted; and after someone else created another entity
    /// under its id (never returned, nor deleted by a replayed delete).
    func checkReplays(
        of write: AccessMatrixTests.ReplayedWrite,
        as identity: Identity,
        in kind: Kind,
        _ where_: String
    ) async throws {
        let context = "\(where_) \(identity) \(write)"
        let target = try await makeTarget(in: kind, owner: .creator, granting: Self.standardGrants)
        let path = "/api/v1/\(kind.collection)/\(target.id)"
        let key = "replay-\(randomWord())"
        let first = try await write.send(self, on: target, in: kind, as: identity, key: key)
        let replay = try await write.send(self, on: target, in: kind, as: identity, key: key)
        let standing = AccessMatrixTests.standing(of: identity, on: target, in: kind)
        let expected = AccessMatrixTests.expectedStatus(of: write.operation, for: standing)
        let hidden = standing.right == nil ? [target] : []
        check(first, expected, hiding: hidden, "\(context) first attempt")
        guard expected == write.success else {
            // A refused write records nothing: its repeat is refused the same way, and shows no more.
            check(replay, expected, hiding: hidden, "\(context) repeat of a refused write")
            return
        }
        #expect(replay.status == write.success, "\(context) replay: \(replay.text)")

        if write != .delete {
            // The grant goes and the creator writes a new value.
            if identity != .creator && identity != .admin {
                let revoked = try await client.call(
                    .delete,
                    "\(path)/_access/\(identity.userName ?? "")",
                    authorization: authorization(.creator)
                )
                #expect(revoked.status == .noContent, "\(context) revoke: \(revoked.text)")
            }
            let changed = Target(
                id: target.id,
                title: target.title,
                secret: "sk\(randomWord())m",
                owner: .creator,
                grants: [:]
            )
            let patched = try await client.call(
                .patch,
                path,
                json: #"{"secret": "\#(changed.secret)"}"#,
                authorization: authorization(.creator)
            )
            #expect(patched.status == .ok, "\(context) creator's patch: \(patched.text)")
            let readsNow = try await client.call(.get, path, authorization: authorization(identity)).status == .ok
            let afterRevoke = try await write.send(self, on: target, in: kind, as: identity, key: key)
            check(
                afterRevoke,
                readsNow ? .ok : .notFound,
                hiding: readsNow ? [] : [changed],
                "\(context) replay after losing the grant (reads it now: \(readsNow))"
            )
            if readsNow { #expect(afterRevoke.reveals(changed.secret), "\(context): the replay shows the entity now") }

            let deleted = try await client.call(.delete, path, authorization: authorization(.creator))
            #expect(deleted.status == .noContent, "\(context) creator's delete")
            let afterDelete = try await write.send(self, on: target, in: kind, as: identity, key: key)
            check(afterDelete, .notFound, hiding: [changed], "\(context) replay after the delete")
        }

        // Someone else creates another entity under the id: a replay never returns (or deletes) it.
        let someoneElse: Identity = identity == .admin ? .creator : .admin
        if write == .delete {
            let deletedByFirst = try await client.call(.get, path, authorization: authorization(.admin))
            #expect(deletedByFirst.status == .notFound, "\(context): the first attempt deleted it")
        }
        let later = Target(
            id: target.id,
            title: "later\(randomWord())",
            secret: "sk\(randomWord())m",
            owner: someoneElse,
            grants: [:]
        )
        let recreated = try await client.call(
            .post,
            "/api/v1/\(kind.collection)",
            json: #"{"id": "\#(target.id)", "title": "\#(later.title)", "secret": "\#(later.secret)"}"#,
            authorization: authorization(someoneElse)
        )
        #expect(recreated.status == .created, "\(context) re-create: \(recreated.text)")
        let afterRecreate = try await write.send(self, on: target, in: kind, as: identity, key: key)
        if write == .delete {
            check(afterRecreate, .noContent, hiding: [later], "\(context) replayed delete after the re-create")
            let stillThere = try await client.call(.get, path, authorization: authorization(someoneElse))
            #expect(stillThere.status == .ok, "\(context): a replayed delete deleted the entity created later")
        } else {
            check(afterRecreate, .notFound, hiding: [later], "\(context) replay after another user's re-create")
        }
    }
}
