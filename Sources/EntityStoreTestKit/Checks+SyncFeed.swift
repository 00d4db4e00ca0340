import EntityModel
import EntityQuery
import EntityStore

extension EntityStoreConformance {
    /// `op id vN` of each feed row of `readers` after `sequence`.
    private static func feedLines(_ store: any EntityStore, _ readers: [FeedReader], after sequence: Int64 = 0)
        async throws -> [String]
    {
        try await store.feed(of: readers, after: sequence, limit: 100).map { entry in
            "\(entry.operation.rawValue) \(entry.id) v\(entry.version)"
        }
    }

    static let feedKeepsOneRowPerReaderAndEntity = ConformanceCheck("feedKeepsOneRowPerReaderAndEntity") { makeStore in
        let store = try await freshStore(makeStore)
        let everyone = FeedReader.everyone(schemaKey: products.schemaKey)
        try await store.insertUser(user("alice"), audit: audit("add"))
        try await store.insertUser(user("bob"), audit: audit("add"))
        try await store.apply([
            .insert(entity("A", ["n": 0], createdBy: "alice")),
            .insert(entity("B", ["n": 0], createdBy: "bob")),
        ])
        try await store.apply([.update(entity("A", ["n": 1], version: 2, createdBy: "alice"), expectedVersion: 1)])
        try expectEqual(try await feedLines(store, [everyone]), ["upsert B v1", "upsert A v2"], "the * feed")
        try expectEqual(try await feedLines(store, [.user("alice")]), ["upsert A v2"], "the creator's feed")
        try expectEqual(try await feedLines(store, [.user("bob")]), ["upsert B v1"], "the other creator's feed")
        let merged = try await store.feed(of: [.user("alice"), everyone], after: 0, limit: 100)
        try expect(
            zip(merged, merged.dropFirst()).allSatisfy { $0.sequence <= $1.sequence },
            "the rows of several readers come oldest first: \(merged.map(\.sequence))"
        )
        try expectEqual(merged.count, 3, "rows of alice and * (A twice: one row per reader)")
        try expectEqual(try await store.feed(of: [everyone], after: 0, limit: 1).map(\.id), ["B"], "limit 1")
        let last = merged.map(\.sequence).max() ?? 0
        try expectEqual(
            try await store.feed(of: [everyone, .user("alice")], after: last, limit: 10),
            [],
            "after the last"
        )
    }

    static let feedRecordsGrantsRevocationsAndDeletes = ConformanceCheck("feedRecordsGrantsRevocationsAndDeletes") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insertUser(user("alice"), audit: audit("add"))
        try await store.insertUser(user("bob"), audit: audit("add"))
        try await store.insertUser(user("carol"), audit: audit("add"))
        try await store.apply([
            .insert(entity("A", [:], createdBy: "alice")), .insert(entity("B", [:], createdBy: "alice")),
        ])
        let before = try await store.changes(after: 0, limit: 100).last?.sequence ?? 0
        _ = try await store.saveGrant(grant("g1", on: "A", to: "bob"), audit: audit("grant"))
        _ = try await store.saveGrant(grant("g2", on: "B", to: "carol"), audit: audit("grant"))
        try expectEqual(try await feedLines(store, [.user("bob")]), ["upsert A v1"], "a grant reaches the grantee")
        let access = try await store.changes(after: before, limit: 100)
        try expectEqual(access.map(\.kind), [.access, .access], "grants take change-log sequences")
        try expectEqual(
            try await store.feed(of: [.user("bob")], after: 0, limit: 10).map(\.sequence),
            [access[0].sequence],
            "the grantee's row is at the grant's sequence"
        )
        try await store.apply([.update(entity("A", ["n": 1], version: 2, createdBy: "alice"), expectedVersion: 1)])
        try expectEqual(try await feedLines(store, [.user("bob")]), ["upsert A v2"], "a grantee follows updates")
        _ = try await store.removeGrant(on: "A", in: products, from: "bob", audit: audit("revoke"))
        try expectEqual(try await feedLines(store, [.user("bob")]), ["revoke A v2"], "a revoked grant")
        try await store.apply([.update(entity("A", ["n": 2], version: 3, createdBy: "alice"), expectedVersion: 2)])
        try expectEqual(
            try await feedLines(store, [.user("bob")]),
            ["revoke A v2"],
            "after a revocation, updates no longer reach the former grantee"
        )
        try await store.apply([.delete(id: "B", collection: products, expectedVersion: nil)])
        try expectEqual(try await feedLines(store, [.user("carol")]), ["delete B v1"], "a deletion reaches the grantee")
        try expectEqual(
            try await feedLines(store, [.user("alice")]),
            ["upsert A v3", "delete B v1"],
            "and the creator"
        )
        try expectEqual(
            try await feedLines(store, [.everyone(schemaKey: products.schemaKey)]),
            ["upsert A v3", "delete B v1"],
            "and everyone"
        )
        try await store.apply([.insert(entity("B", [:], createdBy: "bob"))])
        try expectEqual(
            try await feedLines(store, [.user("carol")]),
            ["delete B v1"],
            "an entity made again under the same id starts without the old grantees"
        )
    }

    static let feedFollowsUserRemovalAndTransfer = ConformanceCheck("feedFollowsUserRemovalAndTransfer") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insertUser(user("alice"), audit: audit("add"))
        try await store.insertUser(user("bob"), audit: audit("add"))
        try await store.apply([.insert(entity("A", [:], createdBy: "alice"))])
        _ = try await store.removeUser(id: "alice", transferringTo: "bob", audit: audit("remove"))
        try expectEqual(try await feedLines(store, [.user("alice")]), [], "a removed user's rows go")
        try expectEqual(try await feedLines(store, [.user("bob")]), ["upsert A v1"], "the new owner's feed")
    }

    static let feedPagesEveryChangeOnce = ConformanceCheck("feedPagesEveryChangeOnce") { makeStore in
        let store = try await freshStore(makeStore)
        let everyone = FeedReader.everyone(schemaKey: products.schemaKey)
        try await store.insertUser(user("alice"), audit: audit("add"))
        for round in 0..<5 {
            try await store.apply((0..<4).map { .insert(entity("R\(round)-\($0)", [:], createdBy: "alice")) })
        }
        var seen: [String] = []
        var after: Int64 = 0
        while true {
            let page = try await store.feed(of: [everyone, .user("alice")], after: after, limit: 3)
            guard let last = page.last else { break }
            try expect(page.allSatisfy { $0.sequence > after }, "rows after the cursor only")
            seen += page.map(\.id)
            after = last.sequence
            try expect(seen.count <= 40, "walking the feed does not end")
        }
        // Alice's row and the * row of an entity share its sequence: a page that ends between them
        // leaves the second out (the entity has already come).
        try expectEqual(Set(seen).count, 20, "every entity, 3 rows at a time")
        try expect(seen.count >= 20 && seen.count <= 40, "each entity at most once per reader: \(seen.count) rows")
    }
}
