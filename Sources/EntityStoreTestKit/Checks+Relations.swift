import EntityModel
import EntityQuery
import EntityStore

/// ``Filter/related(_:where:)``: references and inverse links, nested, negated (OData's `all`),
/// limited to readable targets, compared with the ``Evaluator``.
extension EntityStoreConformance {
    static let categories = CollectionPath("categories")

    /// Categories and products (`categoryId` → categories) by alice, bob and carol; alice holds
    /// grants on the category C3 and the product P2, bob on P1.
    static let relationEntities: [Entity] = [
        entity("C1", ["title": "Tools"], in: categories, createdBy: "alice"),
        entity("C2", ["title": "Toys"], in: categories, createdBy: "bob"),
        entity("C3", ["title": "Tools", "parentId": "C1"], in: categories, createdBy: "bob"),
        entity("C4", ["title": .null], in: categories),
        entity("P1", ["categoryId": "C1", "price": 5, "name": "hammer"], createdBy: "alice"),
        entity("P2", ["categoryId": "C2", "price": 50, "name": "kite"], createdBy: "bob"),
        entity("P3", ["categoryId": "C3", "price": 7, "name": "saw"], createdBy: "bob"),
        entity("P4", ["categoryId": "C9", "price": 1], createdBy: "alice"),
        entity("P5", ["categoryId": 1, "price": 2], createdBy: "alice"),
        entity("P6", ["price": 3], createdBy: "carol"),
        entity("P7", ["categoryId": "C1", "price": 500, "name": "drill"], createdBy: "carol"),
        entity("P8", ["categoryId": .null], createdBy: "bob"),
        // Same ids in another collection: never related.
        entity("C2", ["categoryId": "C1", "price": 1], in: CollectionPath("archive"), createdBy: "alice"),
    ]

    static let relationGrants: [GrantRecord] = [
        grant("r1", on: "C3", in: categories, to: "alice"), grant("r2", on: "P2", to: "alice", .update),
        grant("r3", on: "P1", to: "bob"),
    ]

    /// Whether `reader` may read `entity` (creator or grantee); everyone when `reader` is nil.
    static func relationReadable(_ entity: Entity, by reader: String?) -> Bool {
        guard let reader else { return true }
        return entity.createdBy == reader
            || relationGrants.contains {
                $0.collection == entity.collection && $0.entityID == entity.id && $0.userID == reader
            }
    }

    /// The Evaluator's related documents among ``relationEntities``, readable as the relation says.
    static func relatedDocuments(_ relation: Relation, _ document: JSON) -> [JSON] {
        let targets = relationEntities.filter {
            $0.collection == relation.target && relationReadable($0, by: relation.readableBy)
        }
        return Evaluator.linked(document, by: relation, among: targets.map(\.document))
    }

    static func relationFilters(readableBy reader: String?) -> (products: [Filter], categories: [Filter]) {
        let category = Relation(.reference("categoryId"), target: categories, readableBy: reader)
        let productsOf = Relation(.inverse("categoryId"), target: products, readableBy: reader)
        let parent = Relation(.reference("parentId"), target: categories, readableBy: reader)
        let children = Relation(.inverse("parentId"), target: categories, readableBy: reader)
        let tools = Filter.compareValues(.field("title"), .eq, .literal("Tools"))
        let cheap = Filter.compareValues(.field("price"), .lt, .literal(10))
        let productFilters: [Filter] = [
            .related(category, where: tools),
            .related(category, where: .and([])),
            .related(category, where: .isNull("title", negated: false)),
            .related(category, where: .stringTest(.startswith, .field("title"), .literal("To"))),
            .related(category, where: .related(productsOf, where: .compare("price", .gt, .json(100)))),
            .related(category, where: .related(parent, where: tools)),
            .and([.related(category, where: tools), cheap]),
            .or([.related(category, where: .compare("id", .eq, .json("C2"))), .compare("price", .eq, .json(3))]),
            .related(Relation(.reference("name"), target: categories, readableBy: reader), where: .and([])),
            .related(
                Relation(.reference("categoryId"), target: CollectionPath("archive"), readableBy: reader),
                where: .and([])
            ),
        ]
        let categoryFilters: [Filter] = [
            .related(productsOf, where: cheap),
            .related(productsOf, where: .and([])),
            .not(.related(productsOf, where: .not(cheap))),  // OData all(p: p/price lt 10)
            .related(productsOf, where: .related(category, where: .compare("id", .ne, .json("C1")))),
            .related(children, where: .and([])),
            .related(children, where: .related(productsOf, where: cheap)),
            .related(productsOf, where: .valueIn(.field("name"), ["saw", "kite"])),
        ]
        return (productFilters, categoryFilters)
    }

    static let relationsFindLinkedReadableEntities = ConformanceCheck("relationsFindLinkedReadableEntities") {
        makeStore in
        for indexes in [[], ["categoryId", "parentId"]] {
            let schema = Schema(
                collections: [
                    "products": CollectionSchema(indexes: indexes), "categories": CollectionSchema(indexes: indexes),
                ],
                isOpen: true
            )
            let store = try await freshStore(makeStore, schema: schema)
            try await store.insert(relationEntities)
            for item in relationGrants { _ = try await store.saveGrant(item, audit: audit("grant")) }
            for reader in [nil, "alice", "bob", "carol", "nobody"] {
                let (productFilters, categoryFilters) = relationFilters(readableBy: reader)
                try await expectAgreement(store, productFilters, over: relationEntities, related: relatedDocuments)
                try await expectAgreement(
                    store,
                    categoryFilters,
                    over: relationEntities,
                    in: categories,
                    related: relatedDocuments
                )
                // Restricted by the query too, as a caller without the collection's read right is.
                try await expectAgreement(
                    store,
                    productFilters,
                    over: relationEntities,
                    readableBy: reader,
                    isReadable: { relationReadable($0, by: reader) },
                    related: relatedDocuments
                )
            }
        }
    }

    static let relationsFollowGrantsAtOnce = ConformanceCheck("relationsFollowGrantsAtOnce") { makeStore in
        let store = try await freshStore(makeStore)
        try await store.insert(relationEntities)
        let tools = Filter.related(
            Relation(.reference("categoryId"), target: categories, readableBy: "carol"),
            where: .compare("title", .eq, .json("Tools"))
        )
        // A page of none makes the store count (and perhaps keep the count).
        func expectTotal(_ expected: Int, _ context: String) async throws {
            let page = try await store.query(Query(filter: tools, limit: 0), in: products)
            try expectEqual(page.total, expected, "total of products in carol's tools \(context)")
        }
        try await expectIDs(store, tools, [])
        try await expectTotal(0, "before the grant")
        _ = try await store.saveGrant(grant("c1", on: "C3", in: categories, to: "carol"), audit: audit("grant"))
        try await expectIDs(store, tools, ["P3"])
        try await expectTotal(1, "after the grant")
        _ = try await store.removeGrant(on: "C3", in: categories, from: "carol", audit: audit("revoke"))
        try await expectIDs(store, tools, [])
        try await expectTotal(0, "after the revocation")
        try await store.insert([entity("P9", ["categoryId": "C1"])])
        try await store.insert([entity("C5", ["title": "Tools"], in: categories, createdBy: "carol")])
        try await store.insert([entity("P10", ["categoryId": "C5"])])
        try await expectTotal(1, "after carol created a category of tools")
    }
}
