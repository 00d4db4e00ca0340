import EntityModel
import EntityStore
import Foundation
import PostgresEntityStore
import TestStores
import Testing

/// Batch writes find their rows one primary-key probe per key. Right after a bulk load, before any
/// `ANALYZE`, the planner takes a new collection for a few rows and would otherwise hash, sort or filter
/// the whole collection (and the sync feed) for every batch of 1,000: 30 times slower on 200,000.
@Suite struct WritePlanTests {
    @Test func batchWritesProbeTheirRowsRightAfterABulkLoad() async throws {
        try await TestDatabase.withStore { store in
            let notes = CollectionPath("notes")
            for chunk in stride(from: 0, to: 20_000, by: 1000) {
                try await store.apply(
                    (chunk..<(chunk + 1000)).map {
                        .insert(entity("N\($0)", ["title": .string("note \($0)")], in: notes))
                    }
                )
            }
            let edited = (5000..<6000).map { number in
                var edit = entity("N\(number)", ["title": .string("edited \(number)")], in: notes)
                edit.version = 2
                return edit
            }
            let updates = edited.map { EntityWrite.update($0, expectedVersion: 1) }
            let deletes = (7000..<8000).map { EntityWrite.delete(id: "N\($0)", collection: notes, expectedVersion: 1) }
            let plans = try await store.writePlans(for: updates) + store.writePlans(for: deletes)
            #expect(plans.count == 3)
            for plan in plans {
                let text = plan.joined(separator: "\n")
                #expect(!text.contains("Seq Scan on entities") && !text.contains("Seq Scan on sync_feed"), "\(text)")
                // Every index lookup in a collection names the row's id, not just the collection.
                for line in plan where line.contains("Index Cond") && line.contains("collection") {
                    #expect(line.contains("id = "), "\(text)")
                }
            }

            try await store.apply(updates + deletes)
            let stored = try await store.get(["N5000", "N5999", "N7000"], in: notes)
            #expect(stored["N5000"]?.values["title"] == .string("edited 5000"))
            #expect(stored["N5999"]?.version == 2)
            #expect(stored["N7000"] == nil)
        }
    }
}
