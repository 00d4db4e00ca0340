import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// Users and credentials of ``AccessStore``.
extension EntityStoreConformance {
    static let usersReadBackExactly = ConformanceCheck("usersReadBackExactly") { makeStore in
        let store = try await freshStore(makeStore)
        let written = [
            user(
                "carol",
                id: "USR-0123456789abcdef0123456789abcdef",
                passwordHash: "$2b$12$carolcarolcarolcarolcarolcarolcarolcarolcarolcarolca",
                ms: 3
            ),
            // Created at 1969-12-31T23:59:59.999Z.
            user("alice", id: "USR-a", passwordHash: nil, isAdmin: true, ms: -1_700_000_000_001),
            user("bob ✓", id: "id of bob ✓", passwordHash: "$2b$12$bob", ms: 2_147_483_648_001),
        ]
        for item in written { try await store.insertUser(item, audit: audit("user.add", subject: item.name)) }
        for item in written {
            try expectEqual(try await store.user(named: item.name)?.atMilliseconds, item, "user '\(item.name)'")
            try expectEqual(try await store.user(id: item.id)?.atMilliseconds, item, "user with id '\(item.id)'")
        }
        try expectEqual(try await store.user(named: "dave"), nil, "a user never added")
        try expectEqual(try await store.user(id: "alice"), nil, "a user name asked for as an id")
        try expectEqual(try await store.user(id: "usr-a"), nil, "a user id in another case")
        try expectEqual(try await store.user(named: "Alice"), nil, "a user name in another case")
        try expectEqual(
            try await store.users().map(\.atMilliseconds),
            [written[1], written[2], written[0]],
            "users(), sorted by name"
        )
    }

    static let duplicateUserNameIsRejected = ConformanceCheck("duplicateUserNameIsRejected") { makeStore in
        let store = try await freshStore(makeStore)
        let original = user("alice", passwordHash: "h1", ms: 1)
        try await store.insertUser(original, audit: audit("user.add", subject: "alice"))
        try await expectStoreError(.duplicateKey, "inserting a user with a taken name") {
            try await store.insertUser(
                user("alice", passwordHash: "h2", isAdmin: true, ms: 2),
                audit: audit("user.add", subject: "alice", ms: 2)
            )
        }
        try await expectStoreError(.duplicateKey, "inserting a user with a taken id") {
            try await store.insertUser(
                user("alicia", id: "alice", ms: 3),
                audit: audit("user.add", subject: "alicia", ms: 3)
            )
        }
        try expectEqual(try await store.user(named: "alice")?.atMilliseconds, original, "alice after the duplicate")
        try expectEqual(try await store.users().map(\.atMilliseconds), [original], "users() after the duplicate")
        try expectEqual(
            try await store.auditEvents(after: 0, limit: 10).map(\.subject),
            ["alice"],
            "audit events after the duplicates"
        )
    }

    /// Removing a user removes their credentials and their grants, nothing of anyone else, and not
    /// the entities they created. A user added again under the same name is another account (another
    /// id) and starts without any: not the old credentials, grants, nor the old entities.
    static let removingAUserRemovesTheirCredentialsAndGrants = ConformanceCheck(
        "removingAUserRemovesTheirCredentialsAndGrants"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:], createdBy: "alice"), entity("P2", [:], createdBy: "carol")])
        for name in ["alice", "bob"] { try await store.insertUser(user(name), audit: audit("user.add")) }
        for item in [
            credential("k-alice", .apiKey, of: "alice"), credential("s-alice", .session, of: "alice", expiresMs: 9),
            credential("k-bob", .apiKey, of: "bob"),
        ] {
            try await store.insertCredential(item, audit: nil)
        }
        let bobsGrant = grant("g-bob", on: "P2", to: "bob")
        _ = try await store.saveGrant(grant("g-alice", on: "P2", to: "alice"), audit: audit("grant"))
        _ = try await store.saveGrant(bobsGrant, audit: audit("grant"))
        try expectEqual(
            try await store.removeUser(id: "alice", transferringTo: nil, audit: audit("user.remove")),
            true,
            "removeUser"
        )
        try expectEqual(try await store.user(named: "alice"), nil, "the removed user")
        try expectEqual(try await store.users().map(\.name), ["bob"], "users() after removing alice")
        try expectEqual(try await store.credential(id: "k-alice"), nil, "the API key of the removed user")
        try expectEqual(try await store.credential(id: "s-alice"), nil, "the session of the removed user")
        try expectEqual(try await store.credentials(of: "alice", kind: .apiKey), [], "API keys of the removed user")
        try expectEqual(try await store.credential(id: "k-bob")?.userID, "bob", "another user's API key")
        try expectEqual(try await store.sortedGrants(on: "P2"), [bobsGrant], "grants on P2 after removing alice")
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1", "P2"], in: products),
            [:],
            "rights of the removed user"
        )
        try expectEqual(try await store.get("P1", in: products)?.createdBy, "alice", "an entity the user created")
        try expectEqual(
            try await store.removeUser(id: "alice", transferringTo: nil, audit: audit("user.remove")),
            false,
            "again"
        )
        try expectEqual(
            try await store.removeUser(id: "zoe", transferringTo: nil, audit: audit("user.remove")),
            false,
            "unknown user"
        )
        try await store.insertUser(user("alice", id: "alice-2"), audit: audit("user.add"))
        try expectEqual(try await store.user(named: "alice")?.id, "alice-2", "the id of the new alice")
        try expectEqual(try await store.credentials(of: "alice-2", kind: .session), [], "sessions of the new alice")
        try expectEqual(try await store.sortedGrants(on: "P2").map(\.userID), ["bob"], "grants of the new alice")
        try await expectIDs(store, Query(sort: [SortKey("id")], readableBy: "alice-2"), [])
    }

    /// Removing a user with a new owner passes every entity they created, in every collection, to that
    /// user (whose grants on them are dropped: the creator needs none), in the same transaction;
    /// entities of others, and grants of others on the passed entities, stay.
    static let removingAUserCanPassTheirEntitiesOn = ConformanceCheck("removingAUserCanPassTheirEntitiesOn") {
        makeStore in
        let store = try await freshStore(makeStore)
        let orders = CollectionPath(namespace: nil, segments: ["orders"])
        try await store.insert([
            entity("P1", ["n": 1], createdBy: "dave"), entity("P2", [:], createdBy: "carol"),
            entity("P3", [:], createdBy: "dave"),
        ])
        try await store.insert([entity("O1", [:], in: orders, createdBy: "dave")])
        for name in ["dave", "erin", "carol"] { try await store.insertUser(user(name), audit: audit("user.add")) }
        _ = try await store.saveGrant(grant("g-erin", on: "P1", to: "erin", .update), audit: audit("grant"))
        _ = try await store.saveGrant(grant("g-carol", on: "P1", to: "carol"), audit: audit("grant"))
        _ = try await store.saveGrant(grant("g-erin-2", on: "P2", to: "erin"), audit: audit("grant"))
        let before = try await store.get("P1", in: products)
        try expectEqual(
            try await store.removeUser(id: "dave", transferringTo: "erin", audit: audit("user.remove")),
            true,
            "removeUser with a new owner"
        )
        for (id, collection) in [("P1", products), ("P3", products), ("O1", orders)] {
            try expectEqual(try await store.get(id, in: collection)?.createdBy, "erin", "the creator of \(id)")
        }
        try expectEqual(try await store.get("P2", in: products)?.createdBy, "carol", "an entity of someone else")
        try expectEqual(try await store.get("P1", in: products)?.version, before?.version, "the version of P1")
        try expectEqual(try await store.get("P1", in: products)?.values, before?.values, "the values of P1")
        try expectEqual(try await store.sortedGrants(on: "P1").map(\.id), ["g-carol"], "grants on P1")
        try expectEqual(try await store.sortedGrants(on: "P2").map(\.id), ["g-erin-2"], "grants on P2")
        try await expectIDs(store, Query(sort: [SortKey("id")], readableBy: "erin"), ["P1", "P2", "P3"])
        try await expectIDs(store, Query(sort: [SortKey("id")], readableBy: "dave"), [])
        let log = try await store.changes(after: 0, limit: 20)
        try expectEqual(log.filter { $0.kind != .access }.count, 4, "entity changes in the log (the inserts alone)")
        try expectEqual(
            log.filter { $0.kind == .access }.map(\.id),
            ["P1", "P1", "P2", "O1", "P1", "P3"],
            "access changes: the three grants, then one per entity passed on (by collection and id)"
        )
    }

    static let credentialsReadBackExactly = ConformanceCheck("credentialsReadBackExactly") { makeStore in
        let store = try await freshStore(makeStore)
        for name in ["alice", "bob"] { try await store.insertUser(user(name), audit: audit("user.add")) }
        // Inserted newest first, and ids not in age order: "oldest first" is neither insertion nor id order.
        let keys = [
            credential("k1", .apiKey, of: "alice", ms: 20), credential("k2", .apiKey, of: "alice", label: "ci"),
        ]
        let sessions = [
            credential("s1", .session, of: "alice", ms: 30, expiresMs: 3_600_030),
            credential("s2", .session, of: "alice", label: "laptop", ms: 10, expiresMs: 3_600_010),
        ]
        let others = [
            credential("k-bob", .apiKey, of: "bob", ms: 5, expiresMs: 99), credential("s-bob", .session, of: "bob"),
        ]
        for item in keys + sessions + others { try await store.insertCredential(item, audit: nil) }
        for item in keys + sessions + others {
            try expectEqual(try await store.credential(id: item.id)?.atMilliseconds, item, "credential '\(item.id)'")
        }
        try expectEqual(try await store.credential(id: "k3"), nil, "a credential never stored")
        try expectEqual(
            try await store.credentials(of: "alice", kind: .apiKey).map(\.atMilliseconds),
            [keys[1], keys[0]],
            "alice's API keys, oldest first"
        )
        try expectEqual(
            try await store.credentials(of: "alice", kind: .session).map(\.atMilliseconds),
            [sessions[1], sessions[0]],
            "alice's sessions, oldest first"
        )
        try expectEqual(try await store.credentials(of: "bob", kind: .session).map(\.id), ["s-bob"], "bob's sessions")
        try expectEqual(try await store.credentials(of: "carol", kind: .apiKey), [], "keys of an unknown user")
    }

    static let duplicateCredentialIDIsRejected = ConformanceCheck("duplicateCredentialIDIsRejected") { makeStore in
        let store = try await freshStore(makeStore)
        for name in ["alice", "bob"] { try await store.insertUser(user(name), audit: audit("user.add")) }
        let original = credential("k1", .apiKey, of: "alice", label: "ci")
        try await store.insertCredential(original, audit: audit("key.create"))
        try await expectStoreError(.duplicateKey, "inserting a credential with a taken id") {
            try await store.insertCredential(
                credential("k1", .session, of: "bob", ms: 5, expiresMs: 10),
                audit: audit("key.create", ms: 5)
            )
        }
        try expectEqual(try await store.credential(id: "k1")?.atMilliseconds, original, "k1 after the duplicate")
        try expectEqual(try await store.credentials(of: "bob", kind: .session), [], "bob's sessions")
    }

    static let revokedCredentialsAreGone = ConformanceCheck("revokedCredentialsAreGone") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insertUser(user("alice"), audit: audit("user.add"))
        for item in [
            credential("k1", .apiKey, of: "alice"), credential("k2", .apiKey, of: "alice", ms: 1),
            credential("s1", .session, of: "alice", expiresMs: 60_000),
        ] {
            try await store.insertCredential(item, audit: nil)
        }
        try expectEqual(try await store.removeCredential(id: "k1", audit: audit("key.revoke")), true, "revoking k1")
        try expectEqual(try await store.removeCredential(id: "s1", audit: nil), true, "logging out s1")
        try expectEqual(try await store.credential(id: "k1"), nil, "k1 after its revocation")
        try expectEqual(try await store.credentials(of: "alice", kind: .apiKey).map(\.id), ["k2"], "remaining keys")
        try expectEqual(try await store.credentials(of: "alice", kind: .session), [], "remaining sessions")
        try expectEqual(try await store.removeCredential(id: "k1", audit: audit("key.revoke")), false, "k1 again")
        try expectEqual(try await store.removeCredential(id: "nope", audit: nil), false, "an unknown credential")
        try expectEqual(try await store.user(named: "alice")?.name, "alice", "the owner after revocations")
    }

    /// Storing a credential drops its user's **session** tokens whose `expiresAt` is before the new
    /// credential's `createdAt`, whatever its kind; API keys (even with an expiry), sessions without an
    /// expiry or expiring later, and other users' sessions stay. Before that, expired ones are still read.
    static let insertingACredentialDropsExpiredSessions = ConformanceCheck(
        "insertingACredentialDropsExpiredSessions"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        for name in ["alice", "bob"] { try await store.insertUser(user(name), audit: audit("user.add")) }
        let stay = [
            credential("s-live", .session, of: "alice", ms: 0, expiresMs: 20_000),
            credential("s-forever", .session, of: "alice", ms: 0),
            credential("k-expired", .apiKey, of: "alice", ms: 0, expiresMs: 1_000),
            credential("s-bob-expired", .session, of: "bob", ms: 0, expiresMs: 1_000),
        ]
        let expired = [
            credential("s-old", .session, of: "alice", ms: 0, expiresMs: 1_000),
            credential("s-older", .session, of: "alice", ms: 0, expiresMs: 500),
        ]
        for item in stay + expired { try await store.insertCredential(item, audit: nil) }
        try expectEqual(try await store.credential(id: "s-old")?.atMilliseconds, expired[0], "an expired session")
        try await store.insertCredential(credential("k-new", .apiKey, of: "alice", ms: 10_000), audit: nil)
        for item in expired {
            try expectEqual(try await store.credential(id: item.id), nil, "'\(item.id)' after a newer credential")
        }
        for item in stay {
            try expectEqual(try await store.credential(id: item.id)?.atMilliseconds, item, "'\(item.id)' (kept)")
        }
        try expectEqual(
            try await store.credentials(of: "alice", kind: .session).map(\.id).sorted(),
            ["s-forever", "s-live"],
            "alice's sessions after a newer credential"
        )
        // A new session at 30 s drops s-live, which expired at 20 s.
        try await store.insertCredential(
            credential("s-new", .session, of: "alice", ms: 30_000, expiresMs: 40_000),
            audit: nil
        )
        try expectEqual(
            try await store.credentials(of: "alice", kind: .session).map(\.id),
            ["s-forever", "s-new"],
            "alice's sessions after a newer session"
        )
        try expectEqual(try await store.credential(id: "s-bob-expired")?.id, "s-bob-expired", "bob's expired session")
    }
}
