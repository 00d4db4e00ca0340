/// A namespace of collections, such as `devops` in `devops/services`.
///
/// ```swift
/// let services = client.namespace("devops").collection("services")
/// ```
public struct NamespaceReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient
    /// The path segments below the endpoint.
    public let path: [String]

    /// The collection `name` in this namespace.
    public func collection(_ name: String) -> CollectionReference {
        CollectionReference(client: client, path: path + [name])
    }

    /// The collection `name` in this namespace.
    public subscript(_ name: String) -> CollectionReference {
        collection(name)
    }
}
