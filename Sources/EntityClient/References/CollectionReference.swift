import EntityModel

/// A collection of entities, such as `products` or `devops/services/SRVC-1/environments`.
///
/// A reference only names the collection; nothing is sent until a method is called:
///
/// ```swift
/// let products = client.collection("products")
/// let lamp = products["PRD-1"]                          // one entity
/// let cheap = products.filter(R.price < 10)             // a ResourceSet
/// let created = try await products.create(["name": "Desk"])
/// try await products.action("discontinue").post()       // a collection action
/// ```
public struct CollectionReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient
    /// The path segments below the endpoint.
    public let path: [String]

    /// A reference to the collection at `path` (segments below the endpoint).
    public init(client: EntityClient, path: [String]) {
        self.client = client
        self.path = path
    }

    /// The entity with id `id` in this collection.
    public subscript(_ id: String) -> ResourceReference {
        ResourceReference(client: client, path: path + [id])
    }

    /// The entity with id `id` in this collection.
    public func resource(_ id: String) -> ResourceReference {
        self[id]
    }

    /// The collection action `name`, such as `products/discontinue`.
    public func action(_ name: String) -> ActionReference {
        ActionReference(client: client, path: path + [name])
    }

    /// Every entity of the collection, as a ``ResourceSet`` to refine and iterate.
    public var all: ResourceSet {
        ResourceSet(collection: self)
    }

    /// The entities matching an RQL filter, such as `eq(status,published)&gt(price,10)`.
    public func filter(_ rql: String) -> ResourceSet {
        all.filter(rql)
    }

    /// The entities matching a typed filter, such as `R.status == "published" && R.price > 10`.
    public func filter(_ filter: RQLFilter) -> ResourceSet {
        all.filter(filter)
    }

    /// The entities whose searchable fields contain every word of `term`.
    public func search(_ term: String) -> ResourceSet {
        all.search(term)
    }

    /// Every entity, ordered by `fields` (a leading `-` means descending).
    public func order(by fields: String...) -> ResourceSet {
        all.order(by: fields)
    }

    var encodedPath: String { EntityClient.encodedPath(path) }
}
