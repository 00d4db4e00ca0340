import EntityModel
import EntityQuery
import EntityService
import Foundation
import TestStores
import Testing

@Suite struct EntityServiceWriteTests {
    @Test(arguments: StoreBackend.allCases) func createAssignsPatternIDVersionAndTimestamps(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let entity = try await service.create(
                ["name": "Widget", "price": .number(JSONNumber("19.99")!)],
                in: products,
                as: caller
            )
            #expect(entity.id.wholeMatch(of: /PRD-\d{3}-\d{3}-\d{3}/) != nil)
            #expect(entity.version == 1)
            #expect(entity.createdBy == "alice")
            #expect(entity.createdAt == entity.updatedAt)
            let read = try await service.get(entity.id, in: products, as: caller)
            #expect(read.values["price"]?.description == "19.99")
        }
    }

    /// A replayed batch answers item for item, its deletes as `nil` in their places; an item whose
    /// entity was deleted since fails the replay, naming the item.
    @Test(arguments: StoreBackend.allCases) func aReplayedMixedBatchAnswersInTheOrderOfItsItems(
        _ backend: StoreBackend
    ) async throws {
        try await withService(backend) { service in
            let doomed = try await service.create(["name": "doomed"], in: products, as: caller)
            let kept = try await service.create(["name": "kept"], in: products, as: caller)
            let operations: [BatchOperation] = [
                .create(["name": "new"]), .delete(id: doomed.id), .mergePatch(id: kept.id, patch: ["seen": true]),
            ]
            let key = try IdempotencyKey("mixed", fingerprint: "f")
            let first = try await service.perform(operations, in: products, as: caller, idempotencyKey: key)
            let replay = try await service.perform(operations, in: products, as: caller, idempotencyKey: key)
            #expect(first.map { $0?.id } == [first[0]?.id, nil, kept.id])
            #expect(replay.map { $0?.id } == first.map { $0?.id })
            #expect(replay[2]?.version == 2)

            try await service.delete(kept.id, in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.perform(operations, in: products, as: caller, idempotencyKey: key)
            }
            #expect(error?.code == .notFound)
            #expect(error?.messages.first?.hasPrefix("item 2:") == true, "\(String(describing: error))")
        }
    }

    @Test(arguments: StoreBackend.allCases) func clientSuppliedIDIsKeptAndDuplicatesAreRefused(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let created = try await service.create(["id": "PRD-000-000-001", "name": "A"], in: products, as: caller)
            #expect(created.id == "PRD-000-000-001")
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["id": "PRD-000-000-001", "name": "B"], in: products, as: caller)
            }
            #expect(error?.code == .duplicateID)
        }
    }

    @Test(arguments: StoreBackend.allCases) func invalidClientIDIsRefused(_ backend: StoreBackend) async throws {
        try await withService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["id": "a/b", "name": "A"], in: products, as: caller)
            }
            #expect(error?.code == .validationFailed)
        }
    }

    @Test(arguments: StoreBackend.allCases) func collectionsWithoutPatternGetIncreasingSortableIDs(
        _ backend: StoreBackend
    ) async throws {
        try await withService(backend) { service in
            var ids: [String] = []
            for index in 0..<50 {
                ids.append(
                    try await service.create(["n": .integer(Int64(index))], in: CollectionPath("items"), as: caller).id
                )
            }
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == 50)
            #expect(ids.allSatisfy { $0.count == 26 })
        }
    }

    @Test(arguments: StoreBackend.allCases) func validationNamesEveryFieldAtOnce(_ backend: StoreBackend) async throws {
        try await withService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["price": "abc", "released": "yesterday"], in: products, as: caller)
            }
            #expect(error?.code == .validationFailed)
            let messages = error?.messages ?? []
            #expect(messages.contains("name: required field is missing"))
            #expect(messages.contains { $0.hasPrefix("price: expected a number") })
            #expect(messages.contains { $0.hasPrefix("released: expected a date-time") })
        }
    }

    @Test(arguments: StoreBackend.allCases) func datetimesAreStoredAsCanonicalUTC(_ backend: StoreBackend) async throws
    {
        try await withService(backend) { service in
            let entity = try await service.create(
                ["name": "A", "released": "2024-01-02T10:00:00+02:00"],
                in: products,
                as: caller
            )
            #expect(entity.values["released"] == "2024-01-02T08:00:00.000Z")
        }
    }

    @Test(arguments: StoreBackend.allCases) func updateSetsOnlyGivenFieldsAndIncrementsVersion(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let created = try await service.create(["name": "A", "status": "draft"], in: products, as: caller)
            let updated = try await service.update(
                created.id,
                setting: ["status": "published"],
                in: products,
                as: caller
            )
            #expect(updated.version == 2)
            #expect(updated.values == ["name": "A", "status": "published"])
            #expect(updated.createdAt == created.createdAt)
            #expect(updated.updatedAt >= created.updatedAt)
        }
    }

    @Test(arguments: StoreBackend.allCases) func staleExpectedVersionIsAMismatchAndChangesNothing(
        _ backend: StoreBackend
    ) async throws {
        try await withService(backend) { service in
            let created = try await service.create(["name": "A"], in: products, as: caller)
            _ = try await service.update(created.id, setting: ["name": "B"], in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.update(
                    created.id,
                    setting: ["name": "C"],
                    expectedVersion: 1,
                    in: products,
                    as: caller
                )
            }
            #expect(error?.code == .versionMismatch)
            #expect(try await service.get(created.id, in: products, as: caller).values["name"] == "B")
        }
    }

    @Test(arguments: StoreBackend.allCases) func mergePatchRemovesNullMembersAndMergesObjects(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let created = try await service.create(
                ["name": "A", "status": "draft", "dims": ["w": 1, "h": 2]],
                in: products,
                as: caller
            )
            let patched = try await service.patch(
                created.id,
                with: ["status": nil, "dims": ["h": 3]],
                in: products,
                as: caller
            )
            #expect(patched.values == ["name": "A", "dims": ["w": 1, "h": 3]])
        }
    }

    @Test(arguments: StoreBackend.allCases) func updateCannotBreakTheSchema(_ backend: StoreBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.create(["name": "A"], in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.patch(created.id, with: ["name": nil], in: products, as: caller)
            }
            #expect(error?.code == .validationFailed)
        }
    }

    @Test(arguments: StoreBackend.allCases) func deleteRemovesTheEntity(_ backend: StoreBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.create(["name": "A"], in: products, as: caller)
            try await service.delete(created.id, in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.get(created.id, in: products, as: caller)
            }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func batchIsAllOrNothingAndNamesEachFailingItem(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.perform(
                    [.create(["name": "ok"]), .create(["price": 1]), .create(["name": "ok2"]), .create(["name": 5])],
                    in: products,
                    as: caller
                )
            }
            #expect(error?.code == .validationFailed)
            #expect(
                error?.messages == [
                    "item 1: name: required field is missing", "item 3: name: expected a string, found integer 5",
                ]
            )
            let page = try await service.list(Query(), in: products, as: caller)
            #expect(page.total == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases) func batchWithADuplicateOfAStoredIDWritesNothing(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            _ = try await service.create(["id": "X1", "name": "A"], in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.perform(
                    [.create(["id": "X2", "name": "B"]), .create(["id": "X1", "name": "C"])],
                    in: products,
                    as: caller
                )
            }
            #expect(error?.code == .duplicateID)
            #expect(error?.messages.first?.hasPrefix("item 1:") == true)
            #expect(try await service.list(Query(), in: products, as: caller).total == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func concurrentUpdatesWithoutVersionAllApply(_ backend: StoreBackend)
        async throws
    {
        try await withService(backend) { service in
            let created = try await service.create(["name": "A"], in: products, as: caller)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        _ = try await service.update(created.id, setting: ["f\(index)": true], in: products, as: caller)
                    }
                }
                try await group.waitForAll()
            }
            let final = try await service.get(created.id, in: products, as: caller)
            #expect(final.version == 5)
            #expect(final.values.count == 5)
        }
    }
}
