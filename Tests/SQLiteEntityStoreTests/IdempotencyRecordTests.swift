import EntityModel
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

@Suite struct IdempotencyRecordTests {
    private func record(_ key: String, ids: [String], at date: Date = Date()) -> IdempotencyRecord {
        IdempotencyRecord(key: key, fingerprint: "f-\(key)", collection: products, ids: ids, createdAt: date)
    }

    @Test(arguments: StoreKind.allCases)
    func aRecordIsStoredWithItsWritesAndReadBack(_ kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: .open)
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: record("k1", ids: ["a"]))
        let stored = try #require(try await store.idempotencyRecord(for: "k1", notBefore: .distantPast))
        #expect(stored.ids == ["a"])
        #expect(stored.fingerprint == "f-k1")
        #expect(stored.collection == products)
        #expect(try await store.idempotencyRecord(for: "other", notBefore: .distantPast) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aTakenKeyRollsBackTheWholeBatch(_ kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: .open)
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: record("k", ids: ["a"]))
        let error = await #expect(throws: StoreError.self) {
            try await store.apply([.insert(entity("b", ["n": 2]))], recording: self.record("k", ids: ["b"]))
        }
        #expect(error?.code == .duplicateKey)
        #expect(try await store.get("b", in: products) == nil)
        #expect(try await store.changes(after: 0, limit: 10).map(\.id) == ["a"])
    }

    @Test(arguments: StoreKind.allCases)
    func expiredRecordsAreNotAnsweredAndAreDroppedByLaterWrites(_ kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.prepare(for: .open)
        let old = Date().addingTimeInterval(-2 * idempotencyRetention)
        try await store.apply([.insert(entity("a", ["n": 1]))], recording: record("old", ids: ["a"], at: old))
        let cutoff = Date().addingTimeInterval(-idempotencyRetention)
        #expect(try await store.idempotencyRecord(for: "old", notBefore: cutoff) == nil)
        #expect(try await store.idempotencyRecord(for: "old", notBefore: .distantPast) != nil)
        // A newer record's write deletes the expired one, so the key is free again.
        try await store.apply([.insert(entity("b", ["n": 2]))], recording: record("new", ids: ["b"]))
        #expect(try await store.idempotencyRecord(for: "old", notBefore: .distantPast) == nil)
        try await store.apply([.insert(entity("c", ["n": 3]))], recording: record("old", ids: ["c"]))
        #expect(try await store.idempotencyRecord(for: "old", notBefore: cutoff)?.ids == ["c"])
    }
}
