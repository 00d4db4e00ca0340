import EntityModel
import NIOHTTP1

/// One entity, such as `products/PRD-1`, and the paths below it (nested collections and actions).
///
/// ```swift
/// let lamp = client["products"]["PRD-1"]
/// let current = try await lamp.get()
/// try await lamp.update(["price": 30], ifVersion: current.entityVersion)
/// let environments = client.namespace("devops")["services"]["SRVC-1"].collection("environments")
/// ```
public struct ResourceReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient
    /// The path segments below the endpoint; the last one is the entity's id.
    public let path: [String]

    /// The entity's id.
    public var id: String { path.last ?? "" }

    /// The nested collection `name` of this entity.
    public func collection(_ name: String) -> CollectionReference {
        CollectionReference(client: client, path: path + [name])
    }

    /// The action `name` on this entity, such as `endsale`.
    public func action(_ name: String) -> ActionReference {
        ActionReference(client: client, path: path + [name])
    }

    var encodedPath: String { EntityClient.encodedPath(path) }
}

/// A decoded entity together with its version, for updates that must not overwrite someone else's.
public struct Versioned<Value: Sendable>: Sendable {
    /// The entity's values.
    public var value: Value
    /// The version to pass as `ifVersion`.
    public var version: Int64
}
