import EntityModel

/// A link from an entity to entities of another collection (an OData navigation), tested by
/// ``Filter/related(_:where:)``.
///
/// ```swift
/// // products whose category (products.categoryId → categories) has the title "Tools":
/// Filter.related(
///     Relation(.reference("categoryId"), target: CollectionPath("categories")),
///     where: .compare("title", .eq, .json("Tools")))
/// // categories with some product (products.categoryId holds the category's id) above 100:
/// Filter.related(
///     Relation(.inverse("categoryId"), target: CollectionPath("products")),
///     where: .compare("price", .gt, .json(100)))
/// ```
public struct Relation: Sendable, Hashable {
    /// How a document names the entities it is related to.
    public enum Link: Sendable, Hashable {
        /// This entity's field holds the target's id (single-valued: `categoryId` → categories).
        case reference(FieldPath)
        /// The target's field holds this entity's id (collection-valued: categories → products.categoryId).
        case inverse(FieldPath)
    }

    public var link: Link
    /// The collection the related entities are in.
    public var target: CollectionPath
    /// Only targets this user created or holds a grant on (as `Query.readableBy`); nil = all.
    /// EntityService fills it in, per target collection, exactly as it does for `Query.readableBy`.
    public var readableBy: String?

    public init(_ link: Link, target: CollectionPath, readableBy: String? = nil) {
        self.link = link
        self.target = target
        self.readableBy = readableBy
    }
}
