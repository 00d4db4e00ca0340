import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// The audit log of ``AccessStore``.
///
/// Every audited change that changes something stores its event in its own transaction. A change
/// that changes nothing stores **no** event: a `removeUser`, `removeCredential` or `removeGrant`
/// returning `false`, and an insert failing with ``StoreError/Code/duplicateKey``. Changes given a
/// `nil` audit event (credentials only) store none either.
extension EntityStoreConformance {
    static let auditEventsRoundTripInOrder = ConformanceCheck("auditEventsRoundTripInOrder") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:], createdBy: "root")])
        var expected: [AuditEvent] = []
        func append(_ event: AuditEvent) async throws {
            try await store.appendAudit(event)
            expected.append(event)
        }
        try await append(
            audit("login.failed", actor: nil, subject: "mallory", detail: "client 203.0.113.7", ms: 1)
        )
        expected.append(audit("user.add", subject: "alice", ms: 2))
        try await store.insertUser(user("alice", passwordHash: "h"), audit: expected.last!)
        expected.append(audit("key.create", actor: "alice", subject: "alice", target: "k1", detail: "ci", ms: 3))
        try await store.insertCredential(credential("k1", .apiKey, of: "alice", label: "ci"), audit: expected.last)
        try await store.insertCredential(credential("s1", .session, of: "alice", expiresMs: 9_000), audit: nil)
        expected.append(audit("grant", subject: "alice", target: "products/P1", detail: "r", ms: 4))
        _ = try await store.saveGrant(grant("g1", on: "P1", to: "alice"), audit: expected.last!)
        expected.append(audit("grant", subject: "alice", target: "products/P1", detail: "U", ms: 5))
        _ = try await store.saveGrant(grant("g2", on: "P1", to: "alice", .update), audit: expected.last!)
        expected.append(audit("revoke", subject: "alice", target: "products/P1", ms: 6))
        _ = try await store.removeGrant(on: "P1", in: products, from: "alice", audit: expected.last!)
        expected.append(audit("key.revoke", actor: "alice", subject: "alice", target: "k1", ms: 7))
        _ = try await store.removeCredential(id: "k1", audit: expected.last)
        _ = try await store.removeCredential(id: "s1", audit: nil)
        // The log is in the order of the changes, not of their timestamps.
        try await append(
            audit("login.failed ✓ \"x\"", actor: nil, subject: nil, target: nil, detail: nil, ms: -1_700_000_000_001)
        )
        expected.append(audit("user.remove", subject: "alice", detail: "ключ", ms: 2_147_483_648_001))
        _ = try await store.removeUser(id: "alice", transferringTo: nil, audit: expected.last!)
        let events = try await store.auditEvents(after: 0, limit: 100)
        try expectEqual(events.map(\.withoutSequence), expected, "the audit log")
        try expect(
            zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence },
            "audit sequence numbers increase strictly: \(events.map(\.sequence))"
        )
        try expect(events.allSatisfy { $0.sequence > 0 }, "audit sequence numbers are positive")
    }

    static let auditEventsPageAfterASequence = ConformanceCheck("auditEventsPageAfterASequence") { makeStore in
        let store = try await freshStore(makeStore)
        let written = (0..<7).map { audit("login.failed", actor: nil, subject: "u\($0)", ms: Int64($0)) }
        for event in written { try await store.appendAudit(event) }
        let all = try await store.auditEvents(after: 0, limit: 100)
        try expectEqual(all.map(\.withoutSequence), written, "every event")
        try expectEqual(try await store.auditEvents(after: -1, limit: 100).count, 7, "events after -1")
        let sequences = all.map(\.sequence)
        guard sequences.count == 7 else { return }
        let pages: [(after: Int64, limit: Int, subjects: [String])] = [
            (0, 3, ["u0", "u1", "u2"]),
            (sequences[2], 3, ["u3", "u4", "u5"]),
            (sequences[5], 3, ["u6"]),
            (sequences[6], 3, []),
            (sequences[0], 0, []),
            (sequences[3], 1, ["u4"]),
            (sequences[6] + 1_000, 10, []),
        ]
        for page in pages {
            try expectEqual(
                try await store.auditEvents(after: page.after, limit: page.limit).compactMap(\.subject),
                page.subjects,
                "events after \(page.after), limit \(page.limit)"
            )
        }
        var seen: [Int64] = []
        var last: Int64 = 0
        while let next = try await store.auditEvents(after: last, limit: 2).map(\.sequence).nonEmpty {
            seen += next
            last = next.last ?? last
            try expect(seen.count <= 7, "paging the audit log does not end")
        }
        try expectEqual(seen, sequences, "sequences walking pages of 2")
    }

    static let failedOrNoOpAccessChangesStoreNoAuditEvent = ConformanceCheck(
        "failedOrNoOpAccessChangesStoreNoAuditEvent"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("P1", [:])])
        try await store.insertUser(user("alice"), audit: audit("user.add"))
        try await store.insertCredential(credential("k1", .apiKey, of: "alice"), audit: audit("key.create"))
        try await expectStoreError(.duplicateKey, "a duplicate user") {
            try await store.insertUser(user("alice"), audit: audit("user.add (duplicate)"))
        }
        try await expectStoreError(.duplicateKey, "a duplicate credential") {
            try await store.insertCredential(
                credential("k1", .apiKey, of: "alice"),
                audit: audit("key.create (duplicate)")
            )
        }
        try expectEqual(
            try await store.removeUser(id: "zoe", transferringTo: nil, audit: audit("user.remove (none)")),
            false,
            "removing an unknown user"
        )
        try expectEqual(
            try await store.removeGrant(on: "P1", in: products, from: "alice", audit: audit("revoke (none)")),
            false,
            "revoking a grant never made"
        )
        try expectEqual(
            try await store.removeCredential(id: "k9", audit: audit("key.revoke (none)")),
            false,
            "revoking an unknown credential"
        )
        try expectEqual(
            try await store.allAuditEvents().map(\.action),
            ["user.add", "key.create"],
            "actions in the audit log"
        )
        try await store.appendAudit(audit("after"))
        try expectEqual(try await store.allAuditEvents().map(\.action).last, "after", "an event appended afterwards")
    }
}

extension Array {
    /// `nil` when empty.
    fileprivate var nonEmpty: Self? { isEmpty ? nil : self }
}
