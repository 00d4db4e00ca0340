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
                plan.contains("SEARCH g USING PRIMARY KEY (collection=? AND entity_id=? AND user_name=?)"),
                "\(plan)"
            )
            #expect(!plan.contains("SCAN g"), "\(plan)")
        }
    }

    @Test func grantChangesStartANewCountGeneration() async throws {
        let store = try SQLiteEntityStore.inMemory()
        try await store.apply([.insert(entity("P1", [:]))])
        let audit = AuditEvent(at: at, action: "test", actor: nil)
        let grant = GrantRecord(
            id: "g1",
            collection: products,
            entityID: "P1",
            userName: "alice",
            right: .read,
            grantedBy: nil,
            grantedAt: at
        )
        let changes: [(String, @Sendable () async throws -> Void)] = [
            ("saveGrant", { _ = try await store.saveGrant(grant, audit: audit) }),
            ("removeGrant", { _ = try await store.removeGrant(on: "P1", in: products, from: "alice", audit: audit) }),
            ("removeUser", { _ = try await store.removeUser(named: "alice", audit: audit) }),
        ]
        for (name, change) in changes {
            let before = store.counts.currentGeneration
            try await change()
            #expect(store.counts.currentGeneration != before, "\(name)")
        }
        // Credentials and the audit log change no query result.
        let before = store.counts.currentGeneration
        try await store.appendAudit(audit)
        try await store.insertCredential(
            CredentialRecord(id: "k1", kind: .apiKey, userName: "alice", secretHash: "h", createdAt: at),
            audit: audit
        )
        #expect(store.counts.currentGeneration == before)
    }

    @Test func accessDataSurvivesReopening() async throws {
        let path = temporaryPath()
        let audit = AuditEvent(at: at, action: "user.add", actor: "root", subject: "alice")
        do {
            let store = try SQLiteEntityStore(path: path)
            try await store.apply([.insert(entity("P1", [:], createdBy: "bob"))])
            try await store.insertUser(
                UserRecord(name: "alice", passwordHash: "h", isAdmin: false, createdAt: at),
                audit: audit
            )
            try await store.insertCredential(
                CredentialRecord(id: "k1", kind: .apiKey, userName: "alice", secretHash: "s", createdAt: at),
                audit: nil
            )
            _ = try await store.saveGrant(
                GrantRecord(
                    id: "g1",
                    collection: products,
                    entityID: "P1",
                    userName: "alice",
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
}
