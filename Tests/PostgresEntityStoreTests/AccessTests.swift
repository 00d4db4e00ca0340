import EntityModel
import EntityQuery
import EntityStore
import Foundation
import TestStores
import Testing

@testable import PostgresEntityStore

/// Users, credentials, grants and the audit log on PostgreSQL, beyond the conformance suite: several
/// stores on one database (several processes), the cache of `readableBy` totals, plans and numbering.
@Suite struct AccessTests {
    @Test func aTotalOfReadableEntitiesFollowsGrantChangesThroughAnotherStore() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            let (counting, writing) = (stores[0], stores[1])
            try await writing.apply((0..<6).map { .insert(owned("P\($0)", by: $0 < 2 ? "bob" : "ann")) })
            try await writing.insertUser(user("bob"), audit: event("user.add", subject: "bob"))
            // limit 1 with more matches than that: the total is counted (or read from the cache).
            let bobs = Query(limit: 1, readableBy: "bob")
            func total() async throws -> Int? {
                let first = try await counting.query(bobs, in: products).total
                let second = try await counting.query(bobs, in: products).total  // may come from the cache
                #expect(first == second)
                return second
            }
            #expect(try await total() == 2)
            for (round, id) in ["P2", "P3", "P4"].enumerated() {
                _ = try await writing.saveGrant(grant(id, to: "bob", .read), audit: event("grant", subject: "bob"))
                #expect(try await total() == 3 + round, "after granting \(id)")
            }
            // Changing a right changes nothing that bob reads.
            _ = try await writing.saveGrant(grant("P2", to: "bob", .update), audit: event("grant", subject: "bob"))
            #expect(try await total() == 5)
            #expect(try await writing.removeGrant(on: "P3", in: products, from: "bob", audit: event("revoke")))
            #expect(try await total() == 4)
            // Deleting an entity deletes its grants (a change-log row).
            try await writing.apply([.delete(id: "P4", collection: products, expectedVersion: nil)])
            #expect(try await total() == 3)
            try await writing.apply([.insert(owned("P4", by: "ann"))])
            #expect(try await total() == 3, "a new entity with the id of a deleted one takes none of its grants")
            // Removing the user removes their grants (an audit row, no change-log row).
            #expect(
                try await writing.removeUser(
                    id: "bob",
                    transferringTo: nil,
                    audit: event("user.remove", subject: "bob")
                )
            )
            #expect(try await total() == 2, "bob still created P0 and P1")
            #expect(try await counting.grants(on: "P2", in: products).isEmpty)
        }
    }

    @Test func totalsOfReadableEntitiesAreExactWhileAnotherStoreGrantsAndRevokes() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            let (counting, writing) = (stores[0], stores[1])
            let count = 40
            try await writing.apply((0..<count).map { .insert(owned("E\($0)", by: "ann")) })
            let query = Query(limit: 1, readableBy: "bob")
            let observed = try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    // Grants every entity, revoking every third one again: the total only moves by ±1.
                    for index in 0..<count {
                        _ = try await writing.saveGrant(grant("E\(index)", to: "bob", .read), audit: event("grant"))
                        if index % 3 == 2 {
                            _ = try await writing.removeGrant(
                                on: "E\(index)",
                                in: products,
                                from: "bob",
                                audit: event("revoke")
                            )
                        }
                    }
                    return []
                }
                group.addTask {
                    var totals: [Int] = []
                    for _ in 0..<300 { totals.append(try await counting.query(query, in: products).total ?? -1) }
                    return totals
                }
                var all: [Int] = []
                for try await totals in group { all += totals }
                return all
            }
            #expect(observed.allSatisfy { (0...count).contains($0) })
            let expected = count - count / 3
            #expect(try await counting.query(query, in: products).total == expected)
            #expect(try await counting.query(query, in: products).total == expected)
            let everything = try await counting.query(Query(limit: 1000, readableBy: "bob"), in: products)
            #expect(everything.entities.count == expected)
        }
    }

    @Test func theReadableCheckLooksUpTheGrantsIndex() async throws {
        try await TestDatabase.withStore { store in
            try await store.apply((0..<2000).map { .insert(owned("E\($0)", by: "ann")) })
            try await TestDatabase.execute(
                """
                INSERT INTO grants (collection, entity_id, user_id, id, right_code, granted_by, granted_at)
                SELECT 'products', 'E' || (n % 2000), 'user' || (n / 2000), 'G' || n, 'r', 'ann', 0
                FROM generate_series(0, 39999) AS n
                """,
                for: store
            )
            try await TestDatabase.execute("ANALYZE grants", for: store)
            try await TestDatabase.execute("ANALYZE entities", for: store)
            let plan = try await store.queryPlan(for: Query(limit: 10, readableBy: "user3"), in: products)
            #expect(plan.contains { $0.contains("grants_pkey") || $0.contains("grants_by_user") }, "\(plan)")
            #expect(!plan.contains { $0.contains("Seq Scan on grants") }, "\(plan)")
            let page = try await store.query(Query(limit: 10, readableBy: "user3"), in: products)
            #expect(page.total == 2000)
        }
    }

    @Test func auditSequencesAreDenseWhileTwoStoresAppend() async throws {
        try await TestDatabase.withSharedStores(2) { stores in
            let perStore = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        for number in 0..<perStore {
                            try await store.appendAudit(event("login.failed", subject: "s\(index)-\(number)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await stores[1].auditEvents(after: 0, limit: 1000)
            #expect(events.map(\.sequence) == Array(1...Int64(2 * perStore)))
            #expect(Set(events.compactMap(\.subject)).count == 2 * perStore)
            #expect(try await stores[0].auditEvents(after: 100, limit: 5).map(\.sequence) == [101, 102, 103, 104, 105])
        }
    }

    @Test func recordsRoundTripExactly() async throws {
        try await TestDatabase.withStore { store in
            let now = Date()
            let bob = UserRecord(id: "USR-bob", name: "bob", passwordHash: "$2b$hash", isAdmin: true, createdAt: now)
            try await store.insertUser(bob, audit: event("user.add"))
            #expect(try await store.user(named: "bob") == bob)
            await #expect {
                try await store.insertUser(bob, audit: event("user.add"))
            } throws: { error in
                (error as? StoreError)?.code == .duplicateKey
            }
            let key = CredentialRecord(
                id: "K1",
                kind: .apiKey,
                userID: "USR-bob",
                secretHash: "ab",
                label: "ci",
                createdAt: now
            )
            try await store.insertCredential(key, audit: nil)
            #expect(try await store.credential(id: "K1") == key)
            await #expect {
                try await store.insertCredential(key, audit: nil)
            } throws: { error in
                (error as? StoreError)?.code == .duplicateKey
            }
            try await store.apply([.insert(owned("P1", by: "ann"))])  // a grant needs its entity
            let stored = try await store.saveGrant(grant("P1", to: "bob", .delete), audit: event("grant"))
            #expect(try await store.grants(on: "P1", in: products) == [stored])
            #expect(
                try await store.grantedRights(of: "bob", on: ["P1", "P2", "a\u{0}"], in: products) == ["P1": .delete]
            )
            // The only audited changes that wrote something: the user, the grant.
            #expect(try await store.auditEvents(after: 0, limit: 10).map(\.action) == ["user.add", "grant"])
            #expect(try await store.query(Query(readableBy: "bob\u{0}"), in: products).total == 0)
        }
    }

    @Test func aNewCredentialDropsTheUsersExpiredSessions() async throws {
        try await TestDatabase.withStore { store in
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            func session(_ id: String, _ user: String, created: Double, expires: Double) -> CredentialRecord {
                CredentialRecord(
                    id: id,
                    kind: .session,
                    userID: user,
                    secretHash: "h",
                    createdAt: start + created,
                    expiresAt: start + expires
                )
            }
            try await store.insertCredential(session("S1", "bob", created: 0, expires: 10), audit: nil)
            try await store.insertCredential(session("S2", "bob", created: 0, expires: 30), audit: nil)
            try await store.insertCredential(session("S3", "ann", created: 0, expires: 10), audit: nil)
            try await store.insertCredential(session("S4", "bob", created: 20, expires: 40), audit: nil)
            #expect(try await store.credentials(of: "bob", kind: .session).map(\.id) == ["S2", "S4"])
            #expect(try await store.credentials(of: "ann", kind: .session).map(\.id) == ["S3"])
        }
    }
}

private func owned(_ id: String, by creator: String) -> Entity {
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    return Entity(
        collection: products,
        id: id,
        values: [:],
        version: 1,
        createdAt: date,
        updatedAt: date,
        createdBy: creator
    )
}

private func user(_ name: String) -> UserRecord {
    UserRecord(
        id: name,
        name: name,
        passwordHash: nil,
        isAdmin: false,
        createdAt: Date(timeIntervalSince1970: 1_700_000_000)
    )
}

private func grant(_ id: String, to userID: String, _ right: AccessRight) -> GrantRecord {
    GrantRecord(
        id: "G-\(id)-\(userID)-\(UUID().uuidString)",
        collection: products,
        entityID: id,
        userID: userID,
        right: right,
        grantedBy: "ann",
        grantedAt: Date()
    )
}

private func event(_ action: String, subject: String? = nil) -> AuditEvent {
    AuditEvent(at: Date(), action: action, actor: "ann", subject: subject)
}
