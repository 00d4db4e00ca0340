import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// Grants of ``AccessStore`` and their life with the entities they are on.
extension EntityStoreConformance {
    /// One grant per (collection, entity, user): saving again keeps the first id and takes the new
    /// right, grantor and time; `saveGrant` returns what is stored.
    static let grantsAreSavedOncePerUserAndEntity = ConformanceCheck("grantsAreSavedOncePerUserAndEntity") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:], createdBy: "carol")])
        let first = grant("G-1", on: "P1", to: "alice", .read, by: "carol", ms: 1)
        try expectEqual(
            try await store.saveGrant(first, audit: audit("grant")).atMilliseconds,
            first,
            "saveGrant of a new grant"
        )
        let bobs = grant("G-2", on: "P1", to: "bob", .delete, by: nil, ms: 2)
        _ = try await store.saveGrant(bobs, audit: audit("grant"))
        try expectEqual(try await store.sortedGrants(on: "P1"), [first, bobs], "grants on P1")
        let changed = grant("G-3", on: "P1", to: "alice", .update, by: "dave", ms: 3)
        var expected = changed
        expected.id = "G-1"
        try expectEqual(
            try await store.saveGrant(changed, audit: audit("grant")).atMilliseconds,
            expected,
            "saveGrant of a changed grant (keeps the first id)"
        )
        try expectEqual(try await store.sortedGrants(on: "P1"), [expected, bobs], "grants on P1 after the change")
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1"], in: products),
            ["P1": .update],
            "alice's right after the change"
        )
        // Lowering the right is a change like any other; the id given is the stored one this time.
        let weaker = grant("G-1", on: "P1", to: "alice", .read, by: nil, ms: 4)
        try expectEqual(
            try await store.saveGrant(weaker, audit: audit("grant")).atMilliseconds,
            weaker,
            "saveGrant lowering the right, with the stored id"
        )
        try expectEqual(try await store.sortedGrants(on: "P1"), [weaker, bobs], "grants on P1 after lowering")
    }

    /// Grants belong to one entity of one collection: the same id in another, nested or namespaced
    /// collection is another entity. `grantedRights` answers only the ids with a grant for that user.
    static let grantsBelongToOneEntityOfOneCollection = ConformanceCheck("grantsBelongToOneEntityOfOneCollection") {
        makeStore in
        let store = try await freshStore(makeStore)
        let nested = products.nested("parts", in: "P1")
        let namespaced = CollectionPath(namespace: "shop", segments: ["products"])
        let others = CollectionPath("orders")
        try await store.insert([
            entity("P1", [:]), entity("P2", [:]), entity("P3", [:]), entity("P1", [:], in: nested),
            entity("P1", [:], in: namespaced), entity("P1", [:], in: others),
        ])
        let onP1 = grant("g1", on: "P1", to: "alice", .delete)
        let onP2 = grant("g2", on: "P2", to: "alice", .update)
        let bobOnP3 = grant("g3", on: "P3", to: "bob", .read)
        let inNested = grant("g4", on: "P1", in: nested, to: "alice", .read)
        let inNamespace = grant("g5", on: "P1", in: namespaced, to: "bob", .update)
        for item in [onP1, onP2, bobOnP3, inNested, inNamespace] {
            _ = try await store.saveGrant(item, audit: audit("grant"))
        }
        try expectEqual(try await store.sortedGrants(on: "P1"), [onP1], "grants on products/P1")
        try expectEqual(try await store.sortedGrants(on: "P1", in: nested), [inNested], "grants on the nested P1")
        try expectEqual(try await store.sortedGrants(on: "P1", in: namespaced), [inNamespace], "namespaced P1")
        try expectEqual(try await store.sortedGrants(on: "P1", in: others), [], "grants on orders/P1")
        try expectEqual(try await store.sortedGrants(on: "P9"), [], "grants on an id without any")
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1", "P2", "P3", "P9"], in: products),
            ["P1": .delete, "P2": .update],
            "alice's rights in products"
        )
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1", "P2"], in: nested),
            ["P1": .read],
            "alice's rights in the nested collection"
        )
        try expectEqual(
            try await store.grantedRights(of: "bob", on: ["P1", "P3"], in: products),
            ["P3": .read],
            "bob's rights in products"
        )
        try expectEqual(try await store.grantedRights(of: "alice", on: [], in: products), [:], "rights on no ids")
        try expectEqual(try await store.grantedRights(of: "carol", on: ["P1"], in: products), [:], "a user without")
    }

    static let revokedGrantsAreGone = ConformanceCheck("revokedGrantsAreGone") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:]), entity("P2", [:])])
        let bobs = grant("g2", on: "P1", to: "bob")
        let onP2 = grant("g3", on: "P2", to: "alice")
        for item in [grant("g1", on: "P1", to: "alice"), bobs, onP2] {
            _ = try await store.saveGrant(item, audit: audit("grant"))
        }
        try expectEqual(
            try await store.removeGrant(on: "P1", in: products, from: "alice", audit: audit("revoke")),
            true,
            "revoking alice's grant on P1"
        )
        try expectEqual(try await store.sortedGrants(on: "P1"), [bobs], "grants on P1 after the revocation")
        try expectEqual(try await store.sortedGrants(on: "P2"), [onP2], "grants on P2 after the revocation")
        try expectEqual(
            try await store.removeGrant(on: "P1", in: products, from: "alice", audit: audit("revoke")),
            false,
            "revoking it again"
        )
        try expectEqual(
            try await store.removeGrant(on: "P1", in: CollectionPath("orders"), from: "bob", audit: audit("revoke")),
            false,
            "revoking in another collection"
        )
        try expectEqual(try await store.sortedGrants(on: "P1"), [bobs], "bob's grant on P1")
    }

    /// Deleting an entity deletes its grants with it; an entity inserted again under the same id
    /// starts without any. Grants on the same id elsewhere stay.
    static let deletingAnEntityDeletesItsGrants = ConformanceCheck("deletingAnEntityDeletesItsGrants") {
        makeStore in
        let store = try await freshStore(makeStore)
        let nested = products.nested("parts", in: "P1")
        try await store.insert([entity("P1", [:]), entity("P2", [:]), entity("P1", [:], in: nested)])
        let kept = [grant("g3", on: "P2", to: "alice"), grant("g4", on: "P1", in: nested, to: "alice")]
        for item in [grant("g1", on: "P1", to: "alice"), grant("g2", on: "P1", to: "bob", .update)] + kept {
            _ = try await store.saveGrant(item, audit: audit("grant"))
        }
        try await store.apply([.delete(id: "P1", collection: products, expectedVersion: 1)])
        try expectEqual(try await store.sortedGrants(on: "P1"), [], "grants on a deleted entity")
        try expectEqual(try await store.sortedGrants(on: "P2"), [kept[0]], "grants on another entity")
        try expectEqual(try await store.sortedGrants(on: "P1", in: nested), [kept[1]], "grants on the nested P1")
        try await store.insert([entity("P1", [:])])
        try expectEqual(try await store.sortedGrants(on: "P1"), [], "grants on P1 inserted again")
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1", "P2"], in: products),
            ["P2": .read],
            "alice's rights after P1 was deleted and inserted again"
        )
        try await expectIDs(store, Query(readableBy: "alice"), ["P2"])
        // Deleted within a batch that inserts it again: still no grants.
        _ = try await store.saveGrant(grant("g5", on: "P2", to: "bob"), audit: audit("grant"))
        try await store.apply([
            .delete(id: "P2", collection: products, expectedVersion: nil), .insert(entity("P2", ["n": 2])),
        ])
        try expectEqual(try await store.sortedGrants(on: "P2"), [], "grants on P2 deleted and inserted in one batch")
    }

    /// A batch that fails after a delete rolls the deletion of its grants back too.
    static let failedBatchesKeepTheGrantsOfTheirDeletes = ConformanceCheck("failedBatchesKeepTheGrantsOfTheirDeletes") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:]), entity("P2", [:])])
        let onP1 = grant("g1", on: "P1", to: "alice", .delete)
        _ = try await store.saveGrant(onP1, audit: audit("grant"))
        try await expectStoreError(.duplicateID, index: 1, "a delete followed by an insert of an existing id") {
            try await store.apply([
                .delete(id: "P1", collection: products, expectedVersion: nil), .insert(entity("P2", [:])),
            ])
        }
        try expectEqual(try await store.get("P1", in: products)?.version, 1, "P1 after the failed batch")
        try expectEqual(try await store.sortedGrants(on: "P1"), [onP1], "grants on P1 after the failed batch")
        try await expectIDs(store, Query(readableBy: "alice"), ["P1"])
        try await expectStoreError(.versionConflict, index: 1, "a delete followed by a stale delete") {
            try await store.apply([
                .delete(id: "P1", collection: products, expectedVersion: 1),
                .delete(id: "P2", collection: products, expectedVersion: 7),
            ])
        }
        try expectEqual(try await store.sortedGrants(on: "P1"), [onP1], "grants on P1 after the stale delete")
    }

    /// A grant needs its entity: `saveGrant` on an id that does not exist in the grant's collection
    /// (never inserted, only elsewhere, or deleted) fails with `notFound`, storing neither the grant
    /// nor its audit event, so an entity inserted later under that id starts without it.
    static let grantsOnMissingEntitiesAreRefused = ConformanceCheck("grantsOnMissingEntitiesAreRefused") {
        makeStore in
        let store = try await freshStore(makeStore)
        let nested = products.nested("parts", in: "P1")
        let others = CollectionPath("orders")
        try await store.insert([entity("P1", [:]), entity("P2", [:]), entity("Q1", [:], in: nested)])
        try await store.apply([.delete(id: "P2", collection: products, expectedVersion: nil)])
        let refused = [
            ("an id never inserted", grant("g1", on: "P9", to: "alice")),
            ("an id only in another collection", grant("g2", on: "P1", in: others, to: "alice")),
            ("an id only in a nested collection", grant("g3", on: "Q1", to: "alice")),
            ("a deleted entity", grant("g4", on: "P2", to: "alice", .update)),
        ]
        for (context, item) in refused {
            try await expectStoreError(.notFound, "saveGrant on \(context)") {
                try await store.saveGrant(item, audit: audit("grant", subject: item.userID))
            }
            try expectEqual(try await store.sortedGrants(on: item.entityID, in: item.collection), [], context)
        }
        try expectEqual(try await store.allAuditEvents(), [], "audit events of the refused grants")
        try await store.insert([entity("P9", [:]), entity("P2", [:])])
        try expectEqual(
            try await store.grantedRights(of: "alice", on: ["P1", "P2", "P9"], in: products),
            [:],
            "alice's rights once P9 and P2 exist"
        )
        try await expectIDs(store, Query(readableBy: "alice"), [])
        // The same grants on entities that exist are stored, with their events.
        let stored = grant("g1", on: "P9", to: "alice")
        _ = try await store.saveGrant(stored, audit: audit("grant"))
        try expectEqual(try await store.sortedGrants(on: "P9"), [stored], "the grant on P9 once it exists")
        try expectEqual(try await store.allAuditEvents(), [audit("grant")], "the audit event of the stored grant")
    }

    /// `saveGrant` racing a delete of its entity, in two tasks: whichever commits first, no grant
    /// outlives the entity. Each round inserts the entity, saves a grant on it while another task
    /// deletes it (starting the grant first in even rounds, the delete first in odd ones), and inserts
    /// it again, created by someone else: the new entity has no grant, and exactly the grants that
    /// were saved (not refused with `notFound`) have an audit event.
    static let grantsRacingADeleteNeverOutliveTheEntity = ConformanceCheck(
        "grantsRacingADeleteNeverOutliveTheEntity"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let rounds = 40
        let saveGrant: @Sendable (Int) async throws -> Bool = { round in
            do {
                _ = try await store.saveGrant(
                    grant("g\(round)", on: "R1", to: "alice", .delete, by: "carol"),
                    audit: audit("grant", subject: "alice", target: "products/R1")
                )
                return true
            } catch let error as StoreError where error.code == .notFound {
                return false
            }
        }
        let delete: @Sendable () async throws -> Void = {
            try await store.apply([.delete(id: "R1", collection: products, expectedVersion: nil)])
        }
        var saved = 0
        try await store.insert([entity("R1", [:], createdBy: "carol")])
        for round in 0..<rounds {
            let granting: Task<Bool, any Error>
            let deleting: Task<Void, any Error>
            if round.isMultiple(of: 2) {
                granting = Task { try await saveGrant(round) }
                deleting = Task { try await delete() }
            } else {
                deleting = Task { try await delete() }
                granting = Task { try await saveGrant(round) }
            }
            try await deleting.value
            if try await granting.value { saved += 1 }
            try expectEqual(try await store.sortedGrants(on: "R1"), [], "grants on the deleted R1 (round \(round))")
            try await store.insert([entity("R1", ["round": .integer(Int64(round))], createdBy: "mallory")])
            try expectEqual(try await store.sortedGrants(on: "R1"), [], "grants on R1 inserted again (round \(round))")
            try expectEqual(
                try await store.grantedRights(of: "alice", on: ["R1"], in: products),
                [:],
                "alice's rights on R1 inserted again (round \(round))"
            )
        }
        try await expectIDs(store, Query(readableBy: "alice"), [])
        try expectEqual(
            try await store.auditEvents(after: 0, limit: 1000).count,
            saved,
            "audit events: one per grant saved (\(saved) of \(rounds))"
        )
    }
}
