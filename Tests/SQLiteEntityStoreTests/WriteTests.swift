import EntityModel
import EntityQuery
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

@Suite struct WriteTests {
    @Test(arguments: StoreKind.allCases)
    func insertedEntityReadsBackExactly(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let original = entity(
            "P1",
            object(#"{"name":"Lamp","price":19.99,"big":9007199254740993,"tags":["a","b"],"nested":{"x":null}}"#),
            createdBy: "ann"
        )
        try await store.apply([.insert(original)])
        let read = try #require(try await store.get("P1", in: products))
        #expect(read == original)
        #expect(read.values["price"]?.description == "19.99")
        #expect(read.values["big"] == .integer(9_007_199_254_740_993))
        #expect(try await store.get("P2", in: products) == nil)
        #expect(try await store.get("P1", in: CollectionPath("other")) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func duplicateIDIsRejectedWithItsIndex(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("A", [:]))])
        let error = await #expect(throws: StoreError.self) {
            try await store.apply([.insert(entity("B", [:])), .insert(entity("A", [:]))])
        }
        #expect(error?.code == .duplicateID)
        #expect(error?.index == 1)
        #expect(try await store.get("B", in: products) == nil)
        // The same id in another collection is fine.
        try await store.apply([.insert(entity("A", [:], in: CollectionPath(namespace: "ns", segments: ["products"])))])
    }

    @Test(arguments: StoreKind.allCases)
    func updateAndDeleteCompareVersions(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("A", ["n": 1]))])
        try await store.apply([.update(entity("A", ["n": 2], version: 2), expectedVersion: 1)])
        #expect(try await store.get("A", in: products)?.values["n"] == 2)

        let conflict = await #expect(throws: StoreError.self) {
            try await store.apply([.update(entity("A", ["n": 3], version: 2), expectedVersion: 1)])
        }
        #expect(conflict?.code == .versionConflict)
        let missing = await #expect(throws: StoreError.self) {
            try await store.apply([.update(entity("Z", ["n": 3], version: 2), expectedVersion: 1)])
        }
        #expect(missing?.code == .notFound)
        let staleDelete = await #expect(throws: StoreError.self) {
            try await store.apply([.delete(id: "A", collection: products, expectedVersion: 1)])
        }
        #expect(staleDelete?.code == .versionConflict)
        try await store.apply([.delete(id: "A", collection: products, expectedVersion: 2)])
        #expect(try await store.get("A", in: products) == nil)
        let gone = await #expect(throws: StoreError.self) {
            try await store.apply([.delete(id: "A", collection: products, expectedVersion: nil)])
        }
        #expect(gone?.code == .notFound)
    }

    @Test(arguments: StoreKind.allCases)
    func failingWriteRollsBackTheWholeBatch(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        try await store.apply([.insert(entity("X", ["title": "existing"]))])
        let before = try await store.changes(after: 0, limit: 100)
        let error = await #expect(throws: StoreError.self) {
            try await store.apply([
                .insert(entity("A", ["title": "alpha"])),
                .update(entity("X", ["title": "changed"], version: 2), expectedVersion: 1),
                .insert(entity("X", [:])),
            ])
        }
        #expect(error?.code == .duplicateID)
        #expect(error?.index == 2)
        #expect(try await store.get("A", in: products) == nil)
        #expect(try await store.get("X", in: products)?.values["title"] == "existing")
        #expect(try await store.changes(after: 0, limit: 100) == before)
        // Nothing of the failed batch is searchable either.
        #expect(try await store.ids(Query(search: "alpha")).isEmpty)
        #expect(try await store.ids(Query(search: "changed")).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func changeLogRecordsEveryWriteInOrder(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let first = try await store.apply([.insert(entity("A", [:])), .insert(entity("B", [:]))])
        let second = try await store.apply([
            .update(entity("A", ["x": 1], version: 2), expectedVersion: 1),
            .delete(id: "B", collection: products, expectedVersion: nil),
        ])
        let sequences = first + second
        #expect(sequences == sequences.sorted() && Set(sequences).count == 4)
        let changes = try await store.changes(after: 0, limit: 10)
        #expect(changes.map(\.sequence) == sequences)
        #expect(changes.map(\.kind) == [.upsert, .upsert, .upsert, .delete])
        #expect(changes.map(\.id) == ["A", "B", "A", "B"])
        #expect(changes.map(\.version) == [1, 1, 2, 1])
        #expect(changes.allSatisfy { $0.collection == products })
        #expect(try await store.changes(after: sequences[1], limit: 10).map(\.sequence) == Array(sequences[2...]))
        #expect(try await store.changes(after: 0, limit: 1).map(\.sequence) == [sequences[0]])
    }

    @Test(arguments: StoreKind.allCases)
    func nestedAndNamespacedCollectionsRoundTrip(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let services = CollectionPath(namespace: "devops", segments: ["services"])
        let environments = services.nested("environments", in: "SRVC-1")
        try await store.apply([.insert(entity("E1", ["stage": "prod"], in: environments))])
        #expect(try await store.get("E1", in: environments)?.collection == environments)
        #expect(try await store.changes(after: 0, limit: 1).first?.collection == environments)
        #expect(try await store.ids(Query(), in: environments) == ["E1"])
        #expect(try await store.ids(Query(), in: services).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWritersAllSucceedWithUniqueSequences(kind: StoreKind) async throws {
        let store = try kind.makeStore()
        let sequences = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    for item in 0..<25 {
                        mine += try await store.apply([
                            .insert(entity("T\(task)-\(item)", ["task": .integer(Int64(task))]))
                        ])
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(sequences.count == 200)
        #expect(Set(sequences).count == 200)
        #expect(try await store.query(Query(limit: 0), in: products).total == 200)
        let log = try await store.changes(after: 0, limit: 1000).map(\.sequence)
        #expect(log == log.sorted() && Set(log) == Set(sequences))
    }

    @Test func fileStoreKeepsDataAcrossReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reopen-\(UUID().uuidString).sqlite")
            .path
        do {
            let store = try SQLiteEntityStore(path: path)
            try await store.prepare(
                for: Schema(collections: ["products": CollectionSchema(indexes: ["status"], searchFields: ["title"])])
            )
            try await store.apply([.insert(entity("A", ["title": "Lamp", "note": "hidden"]))])
        }
        let reopened = try SQLiteEntityStore(path: path)
        #expect(try await reopened.get("A", in: products)?.values["title"] == "Lamp")
        // The search fields of the last prepare still apply before the next one.
        try await reopened.apply([.insert(entity("B", ["title": "Desk", "note": "lamp"]))])
        #expect(try await reopened.ids(Query(search: "lamp")) == ["A"])
    }
}
