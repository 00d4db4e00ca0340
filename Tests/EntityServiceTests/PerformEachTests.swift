import EntityModel
import EntityQuery
import EntityService
import EntityStore
import Foundation
import TestStores
import Testing

/// ``EntityService/performEach(_:in:as:)``: valid items written in one transaction, the others reported.
@Suite struct PerformEachTests {
    @Test(arguments: StoreBackend.allCases) func writesTheValidItemsAndReportsEachOtherOne(_ backend: StoreBackend)
        async throws
    {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:r:bob", "name": "B"], in: rooms, as: bob)
            for id in ["urn:r:1", "urn:r:2", "urn:r:3"] {
                _ = try await service.create(["id": .string(id), "name": "old"], in: rooms, as: caller)
            }
            let results = try await service.performEach(
                [
                    .create(["id": "urn:r:new", "name": "N"]),
                    .create(["id": "urn:r:1", "name": "again"]),
                    .create(["id": "not an IRI", "name": "x"]),
                    .create(["name": 5]),
                    .replace(id: "urn:r:2", document: ["name": "R2"], expectedVersion: 1),
                    .replace(id: "urn:r:3", document: ["name": "R3"], expectedVersion: 7),
                    .replace(id: "urn:r:bob", document: ["name": "mine"]),
                    .delete(id: "urn:r:missing"),
                    .mergePatch(id: "urn:r:2", patch: ["x": 1]),
                    .delete(id: "urn:r:1"),
                    .update(id: "urn:r:3", fields: ["extra": true]),
                    .replace(id: "urn:r:3", document: "not an object"),
                ],
                in: rooms,
                as: caller
            )
            #expect(
                results.map(\.errorCode) == [
                    nil, .duplicateID, .validationFailed, .validationFailed, nil, .versionMismatch, .notFound,
                    .notFound, .invalidRequest, nil, nil, .invalidRequest,
                ]
            )
            #expect(results[0].entity?.id == "urn:r:new")
            #expect(results[4].entity?.version == 2)
            #expect(results[9].entity == nil)
            #expect(results[10].entity?.values == ["name": "old", "extra": true])

            let stored = try await service.list(Query(sort: [SortKey(FieldPath(["id"]))]), in: rooms, as: caller)
            #expect(stored.entities.map(\.id) == ["urn:r:2", "urn:r:3", "urn:r:new"])
            #expect(stored.entities[0].values == ["name": "R2"])
            #expect(stored.entities[1].version == 2)
            #expect(try await service.get("urn:r:bob", in: rooms, as: bob).values == ["name": "B"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func refusedRightsAreReportedPerItem(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            _ = try await service.create(["id": "urn:b:1"], in: boards, as: bob)
            let results = try await service.performEach(
                [.replace(id: "urn:b:1", document: ["a": 1]), .create(["id": "urn:b:2"]), .delete(id: "urn:b:1")],
                in: boards,
                as: caller
            )
            #expect(results.map(\.errorCode) == [.forbidden, nil, .forbidden])
            let anonymousResults = try await service.performEach(
                [.create(["id": "urn:b:3"]), .replace(id: "urn:b:2", document: [:])],
                in: boards,
                as: anonymous
            )
            #expect(anonymousResults.map(\.errorCode) == [.unauthenticated, .forbidden])
            #expect(
                try await service.get(["urn:b:1", "urn:b:2", "urn:b:3"], in: boards, as: bob).keys.sorted() == [
                    "urn:b:1", "urn:b:2",
                ]
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func problemsOfTheWholeRequestThrow(_ backend: StoreBackend) async throws {
        try await withURIService(backend) { service in
            let unknown = await #expect(throws: EntityError.self) {
                _ = try await service.performEach([.create([:])], in: CollectionPath("nowhere"), as: caller)
            }
            #expect(unknown?.code == .notFound)
            let tooMany = Array(
                repeating: BatchOperation.create([:]),
                count: service.configuration.maximumBatchSize + 1
            )
            let large = await #expect(throws: EntityError.self) {
                _ = try await service.performEach(tooMany, in: broker, as: caller)
            }
            #expect(large?.code == .invalidRequest)
            let orphans = CollectionPath(namespace: "devops", segments: ["services", "SRVC-1", "environments"])
            let parent = await #expect(throws: EntityError.self) {
                _ = try await service.performEach([.create(["name": "prod"])], in: orphans, as: caller)
            }
            #expect(parent?.code == .notFound)
            let none = try await service.performEach([], in: broker, as: caller)
            #expect(none.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aStoreFailureWritesNothing(_ backend: StoreBackend) async throws {
        let failure = StoreError(.unavailable, "connection reset")
        try await withURIService(backend, wrap: { InterferingStore($0, failure: failure) }) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.performEach(
                    [.create(["id": "urn:a", "name": "A"]), .create(["id": "urn:b", "name": "B"])],
                    in: rooms,
                    as: caller
                )
            }
            #expect(error?.code == .unavailable)
            let written = try await service.get(["urn:a", "urn:b"], in: rooms, as: caller)
            #expect(written.isEmpty)
        }
    }

    /// Between planning and writing, another request updates two targets and creates an id the batch
    /// creates: the item with an expected version gets versionMismatch, the one without is planned
    /// again on the new version, the create is a duplicate, and the rest is written.
    @Test(arguments: StoreBackend.allCases) func aConcurrentChangeFailsOnlyTheItemsItConcerns(_ backend: StoreBackend)
        async throws
    {
        let interference: InterferingStore.Interference = { store in
            let current = try await store.get(["urn:r:a", "urn:r:b"], in: rooms)
            var writes: [EntityWrite] = []
            for id in ["urn:r:a", "urn:r:b"] {
                guard var entity = current[id] else { continue }
                entity.values["name"] = "concurrent"
                entity.version += 1
                writes.append(.update(entity, expectedVersion: entity.version - 1))
            }
            let now = Date()
            let created = Entity(
                collection: rooms,
                id: "urn:r:c",
                values: ["name": "theirs"],
                createdAt: now,
                updatedAt: now,
                createdBy: "bob"
            )
            try await store.apply(writes + [.insert(created)])
        }
        let stores = Stores()
        try await withURIService(
            backend,
            wrap: { store in
                let interfering = InterferingStore(store)
                stores.last = interfering
                return interfering
            }
        ) { service in
            _ = try await service.create(["id": "urn:r:a", "name": "A"], in: rooms, as: caller)
            _ = try await service.create(["id": "urn:r:b", "name": "B"], in: rooms, as: caller)
            stores.last?.interfere(beforeNextApply: interference)
            let results = try await service.performEach(
                [
                    .replace(id: "urn:r:a", document: ["name": "A2"]),
                    .replace(id: "urn:r:b", document: ["name": "B2"], expectedVersion: 1),
                    .create(["id": "urn:r:c", "name": "C"]),
                    .create(["id": "urn:r:d", "name": "D"]),
                ],
                in: rooms,
                as: caller
            )
            #expect(results.map(\.errorCode) == [nil, .versionMismatch, .duplicateID, nil])
            #expect(results[0].entity?.version == 3)
            let stored = try await service.get(["urn:r:a", "urn:r:b", "urn:r:c", "urn:r:d"], in: rooms, as: caller)
            #expect(stored["urn:r:a"]?.values == ["name": "A2"])
            #expect(stored["urn:r:a"]?.version == 3)
            #expect(stored["urn:r:b"]?.values == ["name": "concurrent"])
            #expect(stored["urn:r:c"] == nil, "bob's entity is private to him")
            #expect(stored["urn:r:d"]?.values == ["name": "D"])
        }
    }

    /// 10,000 items are planned with one read of the targets and one of the rights, and written in
    /// one transaction.
    @Test(arguments: StoreBackend.allCases) func aBatchOfTenThousandIsWrittenAtOnce(_ backend: StoreBackend)
        async throws
    {
        let stores = Stores()
        try await withURIService(
            backend,
            wrap: { store in
                let counting = InterferingStore(store)
                stores.last = counting
                return counting
            }
        ) { service in
            let creates = (0..<10_000).map { BatchOperation.create(["id": .string("urn:x:\($0)"), "type": "T"]) }
            let created = try await service.performEach(creates, in: broker, as: caller)
            #expect(created.allSatisfy { $0.errorCode == nil })
            let replaces = (0..<10_000).map {
                BatchOperation.replace(id: "urn:x:\($0)", document: ["type": "U"], expectedVersion: 1)
            }
            let clock = ContinuousClock()
            let start = clock.now
            let replaced = try await service.performEach(replaces, in: broker, as: bob)
            let elapsed = clock.now - start
            #expect(replaced.allSatisfy { $0.entity?.version == 2 })
            #expect(stores.last?.applyCount == 2)
            print("performEach: 10,000 replaces on \(backend) in \(elapsed)")
        }
    }
}

/// The store a test wrapped, kept for the test to reach it.
final class Stores: @unchecked Sendable {
    var last: InterferingStore?
}
