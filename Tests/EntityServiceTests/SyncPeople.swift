import EntityModel
import EntityService
import EntityStore
import TestStores

/// The callers of the sync tests: an admin, and the users `alice` and `bob` (signed in on the sync
/// channel) of a fresh service.
struct SyncPeople {
    let admin = Caller.user("root", isAdmin: true, channel: "test")
    let alice: Caller
    let bob: Caller
    /// Bob's user name, to share with him.
    let bobName = "bob"

    /// Runs `body` with a fresh service of `schema` on `backend` and its people.
    static func with(
        _ backend: StoreBackend,
        schema: Schema,
        wrap: (any EntityStore) -> any EntityStore = { $0 },
        _ body: (EntityService, SyncPeople) async throws -> Void
    ) async throws {
        try await withService(backend, schema: schema, wrap: wrap) { service in
            let admin = Caller.user("root", isAdmin: true, channel: "test")
            let alice = try await service.accounts.addUser(name: "alice", password: nil, isAdmin: false, as: admin)
            let bob = try await service.accounts.addUser(name: "bob", password: nil, isAdmin: false, as: admin)
            try await body(service, SyncPeople(alice: .user(alice, channel: "sync"), bob: .user(bob, channel: "sync")))
        }
    }
}
