import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

@Suite struct ChangesetTests {
    @Test(arguments: StoreBackend.allCases) func laterStepsSeeWhatEarlierStepsCreated(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            var changeset = service.changeset(as: caller)
            let category = try #require(try await changeset.perform(.create(["title": "Fruit"]), in: categories))
            let product = try #require(
                try await changeset.perform(
                    .create(["name": "Apple", "price": 3, "categoryId": .string(category.id)]),
                    in: products
                )
            )
            let patched = try #require(
                try await changeset.perform(.mergePatch(id: product.id, patch: ["price": 2]), in: products)
            )
            #expect(patched.version == 2)
            let repriced = try await changeset.runAction(
                "reprice",
                on: product.id,
                parameters: ["price": 1],
                in: products
            )
            #expect(repriced.version == 3)
            #expect(changeset.stepCount == 4)

            // Nothing is stored before the commit.
            await #expect(throws: EntityError.self) {
                _ = try await service.get(category.id, in: categories, as: caller)
            }

            try await changeset.commit()
            let stored = try await service.get(product.id, in: products, as: caller)
            #expect(stored.values["price"] == 1)
            #expect(stored.values["categoryId"] == .string(category.id))
            #expect(stored.version == 3)
            #expect(try await service.get(category.id, in: categories, as: caller) == category)
            let again = await #expect(throws: EntityError.self) { try await changeset.commit() }
            #expect(again?.messages == ["the changeset was committed already"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func aFailingStepWritesNothing(_ backend: StoreBackend) async throws {
        try await withReferenceService(backend) { service in
            var changeset = service.changeset(as: caller)
            let category = try #require(try await changeset.perform(.create(["title": "Fruit"]), in: categories))
            let error = await #expect(throws: EntityError.self) {
                _ = try await changeset.perform(.create(["name": "Pear", "categoryId": "nothing"]), in: products)
            }
            #expect(error?.messages == ["categoryId: categories 'nothing' does not exist"])
            let refused = await #expect(throws: EntityError.self) { try await changeset.commit() }
            #expect(refused?.messages == ["a step of the changeset failed; nothing of it is written"])
            await #expect(throws: EntityError.self) {
                _ = try await service.get(category.id, in: categories, as: caller)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func aDeletedEntityIsGoneForLaterSteps(_ backend: StoreBackend) async throws
    {
        try await withReferenceService(backend) { service in
            _ = try await service.create(["id": "food", "title": "Food"], in: categories, as: caller)
            var changeset = service.changeset(as: caller)
            _ = try await changeset.perform(.delete(id: "food"), in: categories)
            let error = await #expect(throws: EntityError.self) {
                _ = try await changeset.perform(.create(["name": "Pear", "categoryId": "food"]), in: products)
            }
            #expect(error?.code == .invalidRequest)
            _ = try await service.get("food", in: categories, as: caller)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aConcurrentChangeFailsTheCommitAndWritesNothing(
        _ backend: StoreBackend
    ) async throws {
        try await withReferenceService(backend) { service in
            let product = try await service.create(["name": "A", "price": 5], in: products, as: caller)
            var changeset = service.changeset(as: caller)
            let category = try #require(try await changeset.perform(.create(["title": "Fruit"]), in: categories))
            _ = try await changeset.perform(.mergePatch(id: product.id, patch: ["price": 4]), in: products)
            _ = try await service.patch(product.id, with: ["price": 6], in: products, as: caller)

            let error = await #expect(throws: EntityError.self) { try await changeset.commit() }
            #expect(error?.code == .conflict)
            await #expect(throws: EntityError.self) {
                _ = try await service.get(category.id, in: categories, as: caller)
            }
            #expect(try await service.get(product.id, in: products, as: caller).values["price"] == 6)
        }
    }

    @Test(arguments: StoreBackend.allCases) func stepsAreCheckedForAccessAsSingleWrites(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            let product = try await service.create(["name": "A"], in: products, as: caller)
            var changeset = service.changeset(as: bob)
            let error = await #expect(throws: EntityError.self) {
                _ = try await changeset.perform(.delete(id: product.id), in: products)
            }
            #expect(error?.code == .notFound)
        }
    }
}
