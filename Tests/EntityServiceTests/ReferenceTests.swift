import EntityModel
import EntityQuery
import EntityService
import TestStores
import Testing

@Suite struct ReferenceTests {
    @Test(arguments: StoreBackend.allCases) func aReferenceMustNameAReadableTarget(_ backend: StoreBackend) async throws
    {
        try await withReferenceService(backend) { service in
            let food = try await service.create(["id": "food", "title": "Food"], in: categories, as: caller)
            let product = try await service.create(["name": "Apple", "categoryId": "food"], in: products, as: caller)
            #expect(product.values["categoryId"] == .string(food.id))

            let missing = await #expect(throws: EntityError.self) {
                _ = try await service.create(["name": "Pear", "categoryId": "fruit"], in: products, as: caller)
            }
            #expect(missing?.code == .invalidRequest)
            #expect(missing?.messages == ["categoryId: categories 'fruit' does not exist"])

            // Bob cannot read Alice's category: to him it does not exist.
            let hidden = await #expect(throws: EntityError.self) {
                _ = try await service.create(["name": "Pear", "categoryId": "food"], in: products, as: bob)
            }
            #expect(hidden?.messages == ["categoryId: categories 'food' does not exist"])

            let wrongKind = await #expect(throws: EntityError.self) {
                _ = try await service.patch(product.id, with: ["categoryId": 7], in: products, as: caller)
            }
            #expect(wrongKind?.code == .validationFailed)
            #expect(wrongKind?.messages == ["categoryId: expected an id (a string), found integer 7"])
            let cleared = try await service.patch(product.id, with: ["categoryId": nil], in: products, as: caller)
            #expect(cleared.values["categoryId"] == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anUnchangedReferenceIsNotCheckedAgain(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            _ = try await service.create(["id": "food", "title": "Food"], in: categories, as: caller)
            let product = try await service.create(["name": "Apple", "categoryId": "food"], in: products, as: caller)
            let bob = try await signedUp("bob", in: service)
            _ = try await service.grant(.update, to: "bob", on: product.id, in: products, as: caller)
            // Bob may change the product although he cannot read its category.
            let renamed = try await service.patch(product.id, with: ["name": "Green apple"], in: products, as: bob)
            #expect(renamed.values["categoryId"] == "food")
        }
    }

    @Test(arguments: StoreBackend.allCases) func arrayItemsAreTyped(_ backend: StoreBackend) async throws {
        try await withReferenceService(backend) { service in
            let error = await #expect(throws: EntityError.self) {
                _ = try await service.create(["name": "A", "tags": ["red", 1, nil]], in: products, as: caller)
            }
            #expect(error?.code == .validationFailed)
            #expect(
                error?.messages == [
                    "tags[1]: expected a string, found integer 1", "tags[2]: expected a string, found null",
                ]
            )
            let tagged = try await service.create(["name": "A", "tags": ["red", "ripe"]], in: products, as: caller)
            #expect(tagged.values["tags"] == ["red", "ripe"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func deletingAReferencedEntityIsRefusedByDefault(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            _ = try await service.create(["id": "food", "title": "Food"], in: categories, as: caller)
            let product = try await service.create(["name": "Apple", "categoryId": "food"], in: products, as: caller)
            let error = await #expect(throws: EntityError.self) {
                try await service.delete("food", in: categories, as: caller)
            }
            #expect(error?.code == .conflict)
            #expect(
                error?.messages == [
                    "categories 'food' is still referenced by products (field categoryId); change or delete those entities first"
                ]
            )
            _ = try await service.get("food", in: categories, as: caller)

            // In one batch of the referencing collection, then the category: both go.
            try await service.delete(product.id, in: products, as: caller)
            try await service.delete("food", in: categories, as: caller)
            await #expect(throws: EntityError.self) { _ = try await service.get("food", in: categories, as: caller) }
        }
    }

    @Test(arguments: StoreBackend.allCases) func setNullClearsTheReferencesInTheDeletesTransaction(
        _ backend: StoreBackend
    ) async throws {
        try await withReferenceService(backend) { service in
            _ = try await service.create(["id": "food", "title": "Food"], in: categories, as: caller)
            // Bob's note is unreadable to Alice, yet its reference is cleared too.
            let bob = try await signedUp("bob", in: service)
            _ = try await service.grant(.read, to: "bob", on: "food", in: categories, as: caller)
            let bobsNote = try await service.create(["text": "b", "about": "food"], in: notes, as: bob)
            let other = try await service.create(["text": "o"], in: notes, as: caller)
            let start = try await service.changes(after: 0, limit: 1000, as: .user("root", isAdmin: true, channel: "t"))
                .next

            try await service.delete("food", in: categories, as: caller)

            let cleared = try await service.get(bobsNote.id, in: notes, as: bob)
            #expect(cleared.values["about"] == .null)
            #expect(cleared.version == 2)
            #expect(try await service.get(other.id, in: notes, as: caller).version == 1)
            let log = try await service.changes(
                after: start,
                limit: 1000,
                as: .user("root", isAdmin: true, channel: "t")
            )
            #expect(
                log.changes.map { "\($0.kind) \($0.collection) \($0.id) \($0.version)" } == [
                    "upsert notes \(bobsNote.id) 2", "delete categories food 1",
                ]
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func selfReferencesWorkInABatchAndOnDelete(_ backend: StoreBackend)
        async throws
    {
        try await withReferenceService(backend) { service in
            let created = try await service.perform(
                [
                    .create(["id": "a", "text": "root", "parent": "a"]),
                    .create(["id": "b", "text": "child", "parent": "a"]),
                ],
                in: notes,
                as: caller
            )
            #expect(created.map { $0?.values["parent"] } == ["a", "a"])
            try await service.delete("a", in: notes, as: caller)
            let child = try await service.get("b", in: notes, as: caller)
            #expect(child.values["parent"] == .null)
            #expect(child.version == 2)
        }
    }
}
