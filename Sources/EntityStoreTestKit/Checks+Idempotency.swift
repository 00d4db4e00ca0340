import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    private static func record(
        _ key: String,
        ids: [String],
        in collection: CollectionPath = products,
        at date: Date = Date()
    ) -> IdempotencyRecord {
        IdempotencyRecord(
            key: key,
            fingerprint: "f-\(key)",
            collection: collection,
            written: ids.map { WrittenEntity(id: $0, createdMilliseconds: nil, createdBy: nil) },
            createdAt: date
        )
    }

    /// Fails unless `read` equals `written`, with `createdAt` compared to the millisecond.
    private static func expectRecord(
        _ read: IdempotencyRecord?,
        _ written: IdempotencyRecord,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        var normalized = read
        if let read, milliseconds(read.createdAt) == milliseconds(written.createdAt) {
            normalized?.createdAt = written.createdAt
        }
        try expectEqual(normalized, written, "the record stored under '\(written.key)'", file: file, line: line)
    }

    static let idempotencyRecordIsStoredWithItsWrites = ConformanceCheck("idempotencyRecordIsStoredWithItsWrites") {
        makeStore in
        let store = try await freshStore(makeStore)
        let first = record("k1", ids: ["a"], at: date(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: first)
        try await expectStored(entity("a", ["n": 1]), in: store)
        try expectRecord(try await store.idempotencyRecord(for: "k1", notBefore: .distantPast), first)
        try expectEqual(
            try await store.idempotencyRecord(for: "other", notBefore: .distantPast),
            nil,
            "the record of a key never used"
        )
        let nested = CollectionPath(namespace: "ns", segments: ["things"]).nested("parts", in: "T-1")
        var second = record("user:ann/k2 ✓", ids: ["p1", "p2", "p3"], in: nested, at: first.createdAt)
        // Each written entity with its creation (what tells it from one re-created later), and a delete.
        second.written = [
            WrittenEntity(id: "p1", createdMilliseconds: 1_700_000_000_123, createdBy: "USR-ann"),
            nil,
            WrittenEntity(id: "p2", createdMilliseconds: 0, createdBy: nil),
            WrittenEntity(id: "p3", createdMilliseconds: nil, createdBy: nil),
        ]
        try await store.apply(
            [
                .insert(entity("p1", [:], in: nested)), .insert(entity("p2", [:], in: nested)),
                .insert(entity("p3", [:], in: nested)),
            ],
            recording: second
        )
        try expectRecord(try await store.idempotencyRecord(for: second.key, notBefore: .distantPast), second)
        try expectRecord(try await store.idempotencyRecord(for: "k1", notBefore: .distantPast), first)
    }

    static let takenIdempotencyKeyRollsBackTheBatch = ConformanceCheck("takenIdempotencyKeyRollsBackTheBatch") {
        makeStore in
        let store = try await freshStore(makeStore)
        let first = record("k", ids: ["a"])
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: first)
        try await expectStoreError(.duplicateKey, "a second batch recorded under the same key") {
            try await store.apply(
                [.insert(entity("b", ["n": 2])), .update(entity("a", ["n": 2], version: 2), expectedVersion: 1)],
                recording: record("k", ids: ["b"])
            )
        }
        try expectEqual(try await store.get("b", in: products), nil, "b of the batch with the taken key")
        try expectEqual(try await store.get("a", in: products)?.version, 1, "a after the batch with the taken key")
        try expectEqual(try await store.changes(after: 0, limit: 10).map(\.id), ["a"], "ids in the change log")
        try expectEqual(
            try await store.idempotencyRecord(for: "k", notBefore: .distantPast)?.written.map { $0?.id },
            ["a"],
            "the ids of the first record"
        )
    }

    static let failingBatchStoresNoIdempotencyRecord = ConformanceCheck("failingBatchStoresNoIdempotencyRecord") {
        makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert([entity("a", ["n": 1])])
        try await expectStoreError(.duplicateID, index: 1, "a recorded batch inserting an existing id") {
            try await store.apply(
                [.insert(entity("b", [:])), .insert(entity("a", [:]))],
                recording: record("k", ids: ["b", "a"])
            )
        }
        try expectEqual(
            try await store.idempotencyRecord(for: "k", notBefore: .distantPast),
            nil,
            "the record of a batch that failed"
        )
        // The key is still free.
        let retry = record("k", ids: ["b"])
        try await store.apply([.insert(entity("b", [:]))], recording: retry)
        try expectEqual(
            try await store.idempotencyRecord(for: "k", notBefore: .distantPast)?.written.map { $0?.id },
            ["b"],
            "the record of the retried batch"
        )
    }

    /// `idempotencyRecord(for:notBefore:)` answers records created at or after `notBefore` only.
    /// Records older than ``idempotencyRetention`` before a newer record *may* be dropped by its write:
    /// only that they are never answered past `notBefore` is checked.
    static let idempotencyRecordsBeforeNotBeforeAreNotAnswered = ConformanceCheck(
        "idempotencyRecordsBeforeNotBeforeAreNotAnswered"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let now = date(milliseconds: Int64(Date().timeIntervalSince1970) * 1000)
        let old = record("old", ids: ["a"], at: now.addingTimeInterval(-2 * idempotencyRetention))
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: old)
        let cutoff = now.addingTimeInterval(-idempotencyRetention)
        try expectEqual(
            try await store.idempotencyRecord(for: "old", notBefore: cutoff),
            nil,
            "a record created before notBefore"
        )
        try expectRecord(try await store.idempotencyRecord(for: "old", notBefore: .distantPast), old)
        try expectRecord(try await store.idempotencyRecord(for: "old", notBefore: old.createdAt), old)
        try expectEqual(
            try await store.idempotencyRecord(for: "old", notBefore: old.createdAt.addingTimeInterval(0.001)),
            nil,
            "a record created 1 ms before notBefore"
        )
        // A newer record's write may drop the expired record, never the new one.
        let new = record("new", ids: ["b"], at: now)
        try await store.apply([.insert(entity("b", ["n": 2]))], recording: new)
        try expectEqual(
            try await store.idempotencyRecord(for: "old", notBefore: cutoff),
            nil,
            "an expired record after a newer write"
        )
        let kept = try await store.idempotencyRecord(for: "old", notBefore: .distantPast)
        if kept != nil { try expectRecord(kept, old) }
        try expectRecord(try await store.idempotencyRecord(for: "new", notBefore: cutoff), new)
    }
}
