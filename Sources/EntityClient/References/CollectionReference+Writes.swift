import EntityModel
import NIOHTTP1

extension CollectionReference {
    /// Creates an entity and returns it as stored (with its `id` and `_meta`).
    ///
    /// ```swift
    /// let lamp = try await products.create(["name": "Lamp", "price": 25])
    /// ```
    ///
    /// - Parameter idempotencyKey: With a key, the request is retried on connection errors and 5xx like a
    ///   `GET`; without one, it is sent exactly once.
    @discardableResult
    public func create(_ values: JSON, idempotencyKey: String? = nil) async throws(EntityClientError) -> JSON {
        var request = ClientRequest(.POST, encodedPath, json: values)
        request.idempotencyKey = idempotencyKey
        return try await client.executor.send(request).requiredJSON()
    }

    /// Creates an entity from a `Codable` value and returns it as stored, decoded as the same type.
    ///
    /// ```swift
    /// struct Product: Codable { var id: String?; var name: String; var price: Int }
    /// let lamp = try await products.create(Product(id: nil, name: "Lamp", price: 25))
    /// print(lamp.id!)
    /// ```
    ///
    /// A dictionary literal such as `["name": "Lamp"]` still means JSON: this overload is disfavoured, so
    /// the literal is never taken for a `[String: String]` and the answer never decoded as one.
    @_disfavoredOverload
    @discardableResult
    public func create<T: Codable>(_ value: T, idempotencyKey: String? = nil) async throws(EntityClientError) -> T {
        var request = ClientRequest(.POST, encodedPath, body: try client.encode(value))
        request.idempotencyKey = idempotencyKey
        return try client.decode(T.self, from: try await client.executor.send(request))
    }

    /// Creates several entities in one all-or-nothing request and returns them in order.
    ///
    /// When one is refused, none is created and the error's messages name each failing item
    /// (`item 3: price: expected a number`).
    @discardableResult
    public func bulkCreate(_ values: [JSON], idempotencyKey: String? = nil) async throws(EntityClientError) -> [JSON] {
        var request = ClientRequest(.POST, encodedPath, json: .array(values))
        request.idempotencyKey = idempotencyKey
        return try await client.executor.send(request).jsonArray()
    }

    /// Creates several entities from `Codable` values in one all-or-nothing request.
    @_disfavoredOverload
    @discardableResult
    public func bulkCreate<T: Codable>(_ values: [T], idempotencyKey: String? = nil) async throws(EntityClientError)
        -> [T]
    {
        var request = ClientRequest(.POST, encodedPath, body: try client.encode(values))
        request.idempotencyKey = idempotencyKey
        return try client.decode([T].self, from: try await client.executor.send(request))
    }

    /// Creates several entities from raw JSON bytes of an array, without parsing them here; the
    /// fastest way to load data already in JSON.
    @discardableResult
    public func bulkCreate(jsonArray bytes: [UInt8], idempotencyKey: String? = nil) async throws(EntityClientError)
        -> [JSON]
    {
        var request = ClientRequest(.POST, encodedPath, body: bytes)
        request.idempotencyKey = idempotencyKey
        return try await client.executor.send(request).jsonArray()
    }

    /// Updates several entities in one all-or-nothing request; each value names its entity with `id` and
    /// changes only the fields it gives.
    @discardableResult
    public func bulkUpdate(_ values: [JSON]) async throws(EntityClientError) -> [JSON] {
        try await client.executor.send(ClientRequest(.PUT, encodedPath, json: .array(values))).jsonArray()
    }

    /// Updates several entities from `Codable` values (each with its `id`) in one all-or-nothing request.
    @_disfavoredOverload
    @discardableResult
    public func bulkUpdate<T: Codable>(_ values: [T]) async throws(EntityClientError) -> [T] {
        let request = ClientRequest(.PUT, encodedPath, body: try client.encode(values))
        return try client.decode([T].self, from: try await client.executor.send(request))
    }

    /// Deletes the entities with the given ids in one all-or-nothing request.
    public func bulkDelete(ids: [String]) async throws(EntityClientError) {
        let body = JSON.array(ids.map { .object(["id": .string($0)]) })
        _ = try await client.executor.send(ClientRequest(.DELETE, encodedPath, json: body))
    }
}
