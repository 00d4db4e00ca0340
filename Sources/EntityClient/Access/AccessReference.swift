import EntityModel
import NIOHTTP1

extension ResourceReference {
    /// Who may do what with this entity: list, grant and revoke per-user rights.
    ///
    /// ```swift
    /// let lamp = client.collection("products").resource("PRD-1")
    /// try await lamp.access.grant("bob", .delete)
    /// for entry in try await lamp.access.list() { print(entry.user, entry.right?.rawValue ?? "-") }
    /// try await lamp.access.revoke("bob")
    /// ```
    public var access: AccessReference {
        AccessReference(client: client, path: path)
    }
}

/// The sharing of one entity (`{path}/_access`): the rights every user holds on it.
///
/// Only a caller holding ``EntityModel/AccessRight/creator`` on the entity (its creator, or an admin) may
/// list, grant and revoke; others who can read it get a 403 (``EntityClientError/Code/server`` with
/// ``EntityClientError/status`` 403), others ``EntityClientError/Code/notFound``, and anonymous callers 401.
public struct AccessReference: Sendable {
    /// The client requests are sent with.
    public let client: EntityClient
    /// The path segments of the entity below the endpoint, such as `["products", "PRD-1"]`.
    public let path: [String]

    /// Every user with the right they hold on the entity, strongest right first (C, D, U, r, then none),
    /// then by name. For an entity that does not exist yet, every user with no right.
    public func list() async throws(EntityClientError) -> [AccessEntry] {
        try await client.executor.send(ClientRequest(.GET, encodedPath)).decoded([AccessEntry].self)
    }

    /// Gives `user` the right `right` on the entity (or changes the right they were given) and returns
    /// the grant.
    ///
    /// - Parameter right: ``EntityModel/AccessRight/delete``, ``EntityModel/AccessRight/update`` or
    ///   ``EntityModel/AccessRight/read``; the server refuses ``EntityModel/AccessRight/creator`` with 400.
    /// - Throws: ``EntityClientError/Code/notFound`` when there is no user `user` (or no such entity for
    ///   the caller).
    @discardableResult
    public func grant(_ user: String, _ right: AccessRight) async throws(EntityClientError) -> Grant {
        let body: JSON = ["right": .string(right.rawValue)]
        return try await client.executor.send(ClientRequest(.PUT, encodedPath(of: user), json: body))
            .decoded(Grant.self)
    }

    /// Takes back the right `user` was granted on the entity.
    ///
    /// - Throws: ``EntityClientError/Code/notFound`` when `user` has no grant on it.
    public func revoke(_ user: String) async throws(EntityClientError) {
        _ = try await client.executor.send(ClientRequest(.DELETE, encodedPath(of: user)))
    }

    private var encodedPath: String { EntityClient.encodedPath(path + ["_access"]) }

    private func encodedPath(of user: String) -> String { EntityClient.encodedPath(path + ["_access", user]) }
}
