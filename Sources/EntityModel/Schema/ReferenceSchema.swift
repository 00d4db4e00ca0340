/// What a `reference` field points to: the id of an entity of another (or the same) collection.
///
/// ```json
/// "categoryId": {"type": "reference", "collection": "categories", "navigation": "category",
///                "inverse": "products", "onDelete": "setNull"}
/// ```
public struct ReferenceSchema: Sendable, Hashable {
    /// What deleting a referenced entity does to the entities that reference it.
    public enum OnDelete: String, Sendable, Hashable, CaseIterable {
        /// The delete is refused (a conflict) while any entity references the target. The default.
        case restrict
        /// The references become `null`, in the delete's transaction.
        case setNull
    }

    /// The schema key of the target collection: `categories`, or `devops/services` in a namespace.
    public var collection: String
    /// The name of the single-valued navigation from the referencing entity to its target (OData).
    public var navigation: String?
    /// The name of the collection-valued navigation from a target to the entities that reference it.
    public var inverse: String?
    public var onDelete: OnDelete

    public init(collection: String, navigation: String? = nil, inverse: String? = nil, onDelete: OnDelete = .restrict) {
        self.collection = collection
        self.navigation = navigation
        self.inverse = inverse
        self.onDelete = onDelete
    }
}
