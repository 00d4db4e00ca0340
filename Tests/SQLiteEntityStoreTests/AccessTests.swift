import EntityModel
import EntityQuery
import EntityStore
import Foundation
import GRDB
import Testing

@testable import SQLiteEntityStore

/// What only SQLite can show about access storage: query plans, the count cache, files and
/// migrations. The behaviour every backend shares is checked by `ConformanceTests`.
@Suite struct AccessTests {
    private let at = Date(timeIntervalSince1970: 1_700_000_000)

    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString).sqlite").path
    }

    @Test(arguments: StoreKind.allCases)
    func readableByLooksGrantsUpByPrimaryKey(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: Schema(collections: ["products": CollectionSchema(indexes: ["status"])]))
        let queries = [
            Query(readableBy: "alice"),
            Query(filter: .compare("status", .eq, lit("open")), sort: [SortKey("status")], readableBy: "alice"),
            Query(search: "lamp", readableBy: "alice"),
        ]
        for query in queries {
            let plan = try await store.queryPlan(for: query, in: products).joined(separator: "\n")
            #expect(
                plan.contains("SEARCH g USING PRIMARY KEY (collection=? AND entity_id=? AND user_id=?)"),
                "\(plan)"
            )
            #expect(!plan.contains("SCAN g"), "\(plan)")
        }
    }

    @Test func grantChangesAdjustTheKeptTotalsOfTheirReader() async throws {
        let store = try SQLiteEntityStore.inMemory()
        try await store.apply([
            .insert(entity("P1", [:])), .insert(entity("P2", [:], createdBy: "alice")),
            .insert(entity("P3", [:], createdBy: "alice")),
        ])
        let audit = AuditEvent(at: at, action: "test", actor: nil)
        let grant = GrantRecord(
            id: "g1",
            collection: products,
            entityID: "P1",
            userID: "alice",
            right: .read,
            grantedBy: nil,
            grantedAt: at
        )
        let readable = Query(limit: 1, readableBy: "alice")
        let total = { @Sendable () async throws -> Int? in try await store.query(readable, in: products).total }
        #expect(try await total() == 2)
        let kept = store.totals.entries(in: products.storageKey).map(\.id)
        _ = try await store.saveGrant(grant, audit: audit)
        #expect(try await total() == 3, "a grant adds the entity")
        _ = try await store.saveGrant(grant, audit: audit)
        #expect(try await total() == 3, "granting again changes nothing")
        _ = try await store.removeGrant(on: "P1", in: products, from: "alice", audit: audit)
        #expect(try await total() == 2, "a revocation removes it")
        #expect(store.totals.entries(in: products.storageKey).map(\.id) == kept, "the same kept total throughout")
        // Removing a user changes creators and grants everywhere: every kept total is dropped.
        try await store.insertUser(
            UserRecord(id: "alice", name: "alice", passwordHash: "h", isAdmin: false, createdAt: at),
            audit: audit
        )
        _ = try await store.removeUser(id: "alice", transferringTo: "bob", audit: audit)
        #expect(store.totals.isEmpty)
        #expect(try await total() == 0)
        #expect(try await store.query(Query(limit: 1, readableBy: "bob"), in: products).total == 2)
    }

    @Test func accessDataSurvivesReopening() async throws {
        let path = temporaryPath()
        let audit = AuditEvent(at: at, action: "user.add", actor: "root", subject: "alice")
        do {
            let store = try SQLiteEntityStore(path: path)
            try await store.apply([.insert(entity("P1", [:], createdBy: "bob"))])
            try await store.insertUser(
                UserRecord(id: "alice", name: "alice", passwordHash: "h", isAdmin: false, createdAt: at),
                audit: audit
            )
            try await store.insertCredential(
                CredentialRecord(id: "k1", kind: .apiKey, userID: "alice", secretHash: "s", createdAt: at),
                audit: nil
            )
            _ = try await store.saveGrant(
                GrantRecord(
                    id: "g1",
                    collection: products,
                    entityID: "P1",
                    userID: "alice",
                    right: .update,
                    grantedBy: "bob",
                    grantedAt: at
                ),
                audit: audit
            )
        }
        let reopened = try SQLiteEntityStore(path: path)
        #expect(try await reopened.user(named: "alice")?.passwordHash == "h")
        #expect(try await reopened.credential(id: "k1")?.secretHash == "s")
        #expect(try await reopened.grantedRights(of: "alice", on: ["P1"], in: products) == ["P1": .update])
        #expect(try await reopened.ids(Query(readableBy: "alice")) == ["P1"])
        let events = try await reopened.auditEvents(after: 0, limit: 10)
        #expect(events.map(\.action) == ["user.add", "user.add"])
        // Sequence numbers go on after a reopen.
        try await reopened.appendAudit(audit)
        let sequences = try await reopened.auditEvents(after: 0, limit: 10).map(\.sequence)
        #expect(sequences.count == 3 && sequences == sequences.sorted() && Set(sequences).count == 3)
    }

    @Test func aDatabaseOfTheLastVersionMigratesWithItsEntities() async throws {
        let path = temporaryPath()
        do {
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(queue, upTo: "v3-exact-values")
            try await queue.write { db in
                try db.execute(
                    sql:
                        #"INSERT INTO entities (collection, id, "values", version, created_at, updated_at, created_by)"#
                        + " VALUES ('products', 'P1', '{}', 1, '2023-11-14T22:13:20.000Z', '2023-11-14T22:13:20.000Z', 'alice')"
                )
            }
        }
        let store = try SQLiteEntityStore(path: path)
        #expect(try await store.ids(Query(readableBy: "alice")) == ["P1"])
        #expect(try await store.ids(Query(readableBy: "bob")) == [])
        #expect(try await store.users() == [])
        #expect(try await store.auditEvents(after: 0, limit: 10) == [])
    }

    /// Version 5 gives every user an account id and moves creators, credentials and grants from names
    /// to it; what belonged to users removed before stays with no account.
    @Test func usersOfTheLastVersionGetAccountIDs() async throws {
        let path = temporaryPath()
        do {
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(queue, upTo: "v4-access")
            try await queue.write { db in
                let time = "'2023-11-14T22:13:20.000Z'"
                for (id, creator) in [("P1", "alice"), ("P2", "bob"), ("P3", "dave")] {
                    try db.execute(
                        sql:
                            #"INSERT INTO entities (collection, id, "values", version, created_at, updated_at, created_by)"#
                            + " VALUES ('products', ?, '{}', 1, \(time), \(time), ?)",
                        arguments: [id, creator]
                    )
                }
                for name in ["alice", "bob"] {
                    try db.execute(
                        sql:
                            "INSERT INTO users (name, password_hash, is_admin, created_at) VALUES (?, NULL, 0, \(time))",
                        arguments: [name]
                    )
                }
                for (id, user) in [("k-alice", "alice"), ("k-dave", "dave")] {
                    try db.execute(
                        sql: "INSERT INTO credentials (id, kind, user_name, secret_hash, created_at)"
                            + " VALUES (?, 'api-key', ?, 'h', \(time))",
                        arguments: [id, user]
                    )
                }
                for (id, user) in [("g-alice", "alice"), ("g-dave", "dave")] {
                    try db.execute(
                        sql: "INSERT INTO grants (collection, entity_id, user_name, id, access_right, granted_at)"
                            + " VALUES ('products', 'P2', ?, ?, 'U', \(time))",
                        arguments: [user, id]
                    )
                }
            }
        }
        let store = try SQLiteEntityStore(path: path)
        let alice = try #require(try await store.user(named: "alice"))
        let bob = try #require(try await store.user(named: "bob"))
        #expect(alice.id.hasPrefix("USR-") && alice.id.count == 36 && alice.id != bob.id)
        #expect(try await store.user(id: alice.id) == alice)
        #expect(try await store.get("P1", in: products)?.createdBy == alice.id)
        #expect(try await store.get("P2", in: products)?.createdBy == bob.id)
        #expect(try await store.get("P3", in: products)?.createdBy == "dave")
        #expect(try await store.credential(id: "k-alice")?.userID == alice.id)
        #expect(try await store.credential(id: "k-dave") == nil)
        #expect(try await store.grants(on: "P2", in: products).map(\.id) == ["g-alice"])
        #expect(try await store.ids(Query(sort: [SortKey("id")], readableBy: alice.id)) == ["P1", "P2"])
        #expect(try await store.ids(Query(readableBy: "alice")) == [])
    }
}
