import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestStores
import Testing

/// Rights follow the account, not the name: a user removed and added again under the same name is a
/// new account with no right on the old one's entities, keys, sessions or idempotency keys; an admin
/// may pass a removed user's entities to another user instead.
@Suite struct RemovedUserTests {
    @Test(arguments: StoreBackend.allCases)
    func aUserAddedAgainUnderTheSameNameInheritsNothing(_ backend: StoreBackend) async throws {
        try await withAccessServer(backend, clock: TestClock()) { client in
            let oldDave = try await client.makeUser("dave", password: "old password")
            let oldSession = try await client.login("dave", password: "old password")
            let oldID = try await client.call(.get, "/api/v1/_auth/me", authorization: oldDave).json["id"]?.stringValue
            var created: [String: String] = [:]  // collection → id
            for collection in ["vaults", "memos", "notices"] {
                let entity = try await client.call(
                    .post,
                    "/api/v1/\(collection)",
                    json: #"{"title": "dave's", "secret": "s3cret"}"#,
                    authorization: oldDave
                )
                #expect(entity.status == .created)
                #expect(entity.json["_meta"]?["createdBy"]?.stringValue == oldID)
                created[collection] = entity.json["id"]?.stringValue
            }
            func createWithKey(as authorization: String) async throws -> TestResponse {
                try await client.send(
                    .post,
                    "/api/v1/vaults",
                    json: #"{"title": "keyed"}"#,
                    headers: [HTTPField.Name("Idempotency-Key")!: "k1"],
                    authorization: authorization
                )
            }
            let keyed = try await createWithKey(as: oldDave)
            #expect(keyed.status == .created)

            #expect(try await client.admin(.delete, "/api/v1/_admin/users/dave").status == .noContent)
            let newDave = try await client.makeUser("dave", password: "new password")
            let me = try await client.call(.get, "/api/v1/_auth/me", authorization: newDave)
            #expect(me.json["name"]?.stringValue == "dave")
            #expect(me.json["id"]?.stringValue != nil && me.json["id"]?.stringValue != oldID)

            // The old credentials are gone with the old account.
            for old in [oldDave, oldSession] {
                #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: old).status == .unauthorized)
            }
            // Private: invisible. Readable by default: readable, but neither changed nor deleted nor shared.
            let vault = "/api/v1/vaults/\(created["vaults"]!)"
            #expect(try await client.call(.get, vault, authorization: newDave).status == .notFound)
            #expect(try await client.call(.delete, vault, authorization: newDave).status == .notFound)
            let list = try await client.call(.get, "/api/v1/vaults", authorization: newDave)
            #expect(list.status == .ok && list.ids.isEmpty && list.total == 0)
            for collection in ["memos", "notices"] {
                let path = "/api/v1/\(collection)/\(created[collection]!)"
                #expect(try await client.call(.get, path, authorization: newDave).status == .ok)
                let patch = try await client.call(.patch, path, json: #"{"title": "mine"}"#, authorization: newDave)
                #expect(patch.status == .forbidden)
                #expect(try await client.call(.delete, path, authorization: newDave).status == .forbidden)
                let share = try await client.share(path, with: "gina", "r", authorization: newDave)
                #expect(share.status == .forbidden)
            }
            // Admins still hold C on them; the sharing list gives the new dave no right.
            let sharing = try await client.admin(.get, "\(vault)/_access")
            let daveEntry = sharing.json.arrayValue?.first { $0["user"]?.stringValue == "dave" }
            #expect(daveEntry?["right"] == .null)
            #expect(try await client.admin(.get, vault).status == .ok)
            // The same idempotency key is the new account's own: it writes anew.
            let again = try await createWithKey(as: newDave)
            #expect(again.status == .created)
            #expect(again.json["id"] != keyed.json["id"])
            // The audit log keeps names.
            let audit = try await client.admin(.get, "/api/v1/_admin/audit?limit=1000")
            let removals = audit.json.arrayValue?.filter { $0["action"]?.stringValue == "user.remove" } ?? []
            #expect(removals.map { $0["subject"]?.stringValue } == ["dave"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func removingAUserCanPassTheirEntitiesToAnother(_ backend: StoreBackend) async throws {
        try await withAccessServer(backend, clock: TestClock()) { client in
            let dave = try await client.makeUser("dave")
            let erin = try await client.makeUser("erin")
            let erinID = try await client.call(.get, "/api/v1/_auth/me", authorization: erin).json["id"]?.stringValue
            let created = try await client.call(
                .post,
                "/api/v1/vaults",
                json: #"[{"title": "a"}, {"title": "b"}]"#,
                authorization: dave
            )
            let ids = created.json.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == 2)
            let shared = try await client.share("/api/v1/vaults/\(ids[0])", with: "erin", "r", authorization: dave)
            #expect(shared.status == .ok)
            #expect(try await client.call(.get, "/api/v1/vaults/\(ids[1])", authorization: erin).status == .notFound)

            // A new owner that does not exist: refused, and nothing is removed.
            let refused = try await client.admin(.delete, "/api/v1/_admin/users/dave?transfer_to=zoe")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errors.contains { $0.contains("transfer_to") && $0.contains("zoe") })
            #expect(try await client.call(.get, "/api/v1/_auth/me", authorization: dave).status == .ok)
            let toSelf = try await client.admin(.delete, "/api/v1/_admin/users/dave?transfer_to=dave")
            #expect(toSelf.status == .badRequest)

            #expect(try await client.admin(.delete, "/api/v1/_admin/users/dave?transfer_to=erin").status == .noContent)
            let list = try await client.call(.get, "/api/v1/vaults", authorization: erin)
            #expect(list.ids == Set(ids) && list.total == 2)
            for id in ids {
                let entity = try await client.call(.get, "/api/v1/vaults/\(id)", authorization: erin)
                #expect(entity.json["_meta"]?["createdBy"]?.stringValue == erinID)
                #expect(entity.json["_meta"]?["version"] == .integer(1))
            }
            let sharing = try await client.call(.get, "/api/v1/vaults/\(ids[0])/_access", authorization: erin)
            let erinEntry = sharing.json.arrayValue?.first { $0["user"]?.stringValue == "erin" }
            #expect(erinEntry?["right"]?.stringValue == "C" && erinEntry?["grant_id"] == .null)
            #expect(
                try await client.call(.delete, "/api/v1/vaults/\(ids[1])", authorization: erin).status == .noContent
            )
            let audit = try await client.admin(.get, "/api/v1/_admin/audit?limit=1000")
            let removal = audit.json.arrayValue?.last { $0["action"]?.stringValue == "user.remove" }
            #expect(removal?["subject"]?.stringValue == "dave")
            #expect(removal?["detail"]?.stringValue == "entities to erin")
        }
    }
}
