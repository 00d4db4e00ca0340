import EntityModel
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

/// What SQLite does beyond the protocol: storing and reading records is checked by `ConformanceTests`.
@Suite struct IdempotencyRecordTests {
    private func record(_ key: String, ids: [String], at date: Date = Date()) -> IdempotencyRecord {
        IdempotencyRecord(
            key: key,
            fingerprint: "f-\(key)",
            collection: products,
            written: ids.map { WrittenEntity(id: $0, createdMilliseconds: nil, createdBy: nil) },
            createdAt: date
        )
    }

    @Test(arguments: StoreKind.allCases)
    func expiredRecordsAreDroppedByLaterWrites(_ kind: StoreKind) async throws {
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
        #expect(try await store.idempotencyRecord(for: "old", notBefore: cutoff)?.written.map { $0?.id } == ["c"])
    }
}
