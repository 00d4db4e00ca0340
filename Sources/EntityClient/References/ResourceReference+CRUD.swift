import EntityModel
import Foundation
import NIOHTTP1

extension ResourceReference {
    /// The entity, with `id` and `_meta`; fails with ``EntityClientError/Code/notFound`` when it does not
    /// exist.
    public func get() async throws(EntityClientError) -> JSON {
        try await client.executor.send(ClientRequest(.GET, encodedPath)).requiredJSON()
    }

    /// The entity decoded as `type`.
    ///
    /// ```swift
    /// let lamp = try await products["PRD-1"].get(as: Product.self)
    /// ```
    public func get<T: Decodable>(as type: T.Type) async throws(EntityClientError) -> T {
        try client.decode(type, from: try await client.executor.send(ClientRequest(.GET, encodedPath)))
    }

    /// The entity decoded as `type`, with the version to pass to a later `ifVersion:`.
    public func versioned<T: Decodable & Sendable>(as type: T.Type) async throws(EntityClientError) -> Versioned<T> {
        let response = try await client.executor.send(ClientRequest(.GET, encodedPath))
        let value = try client.decode(type, from: response)
        var version = response.version
        if version == nil { version = try response.json()?.entityVersion }
        guard let version else {
            throw EntityClientError(
                .invalidResponse,
                status: response.status,
                errors: ["the answer carries no version (no ETag)"],
                request: response.request
            )
        }
        return Versioned(value: value, version: version)
    }

    /// Whether the entity exists: `true` on 2xx, `false` on 404; any other error is thrown.
    public func exists() async throws(EntityClientError) -> Bool {
        do {
            _ = try await client.executor.send(ClientRequest(.HEAD, encodedPath))
            return true
        } catch  where error.code == .notFound {
            return false
        }
    }

    /// Picks fields of the entity by dot path: `values("name", "address.city")` gives
    /// `["name": "Lamp", "address.city": "Oslo"]`; missing fields are left out.
    public func values(_ paths: String...) async throws(EntityClientError) -> [String: JSON] {
        let entity = try await get()
        return FieldPicker.pick(paths, from: entity)
    }

    /// Changes the given fields (the others stay as they are) and returns the updated entity.
    ///
    /// - Parameter ifVersion: The version the entity must still have, from ``EntityModel/JSON/entityVersion``;
    ///   when it has changed, nothing is written and ``EntityClientError/Code/versionMismatch`` is thrown.
    ///   A conditional write carries an idempotency key, so a retry after a lost answer gets that answer
    ///   rather than a version mismatch caused by its own first attempt.
    @discardableResult
    public func update(_ values: JSON, ifVersion version: Int64? = nil) async throws(EntityClientError) -> JSON {
        try await client.executor.send(conditional(ClientRequest(.PUT, encodedPath, json: values), version))
            .requiredJSON()
    }

    /// Writes the fields of a `Codable` value and returns the updated entity decoded as the same type.
    ///
    /// A dictionary literal such as `["price": 30]` still means JSON: this overload is disfavoured.
    @_disfavoredOverload
    @discardableResult
    public func update<T: Codable>(_ value: T, ifVersion version: Int64? = nil) async throws(EntityClientError) -> T {
        let request = conditional(ClientRequest(.PUT, encodedPath, body: try client.encode(value)), version)
        return try client.decode(T.self, from: try await client.executor.send(request))
    }

    /// Applies a JSON merge patch (RFC 7396): `null` removes a field, objects merge.
    @discardableResult
    public func patch(_ mergePatch: JSON, ifVersion version: Int64? = nil, idempotencyKey: String? = nil)
        async throws(EntityClientError) -> JSON
    {
        var request = ClientRequest(.PATCH, encodedPath, json: mergePatch)
        request.idempotencyKey = idempotencyKey
        request = conditional(request, version)
        return try await client.executor.send(request).requiredJSON()
    }

    /// Deletes the entity; with `ifVersion`, only if it still has that version.
    public func delete(ifVersion version: Int64? = nil) async throws(EntityClientError) {
        _ = try await client.executor.send(conditional(ClientRequest(.DELETE, encodedPath), version))
    }

    /// Reads the entity, lets `change` modify it, and writes it back only if nobody changed it meanwhile;
    /// on a conflict it reads again and calls `change` again, up to `maximumAttempts` times.
    ///
    /// ```swift
    /// let updated = try await products["PRD-1"].modify(as: Product.self) { $0.stock -= 1 }
    /// ```
    @discardableResult
    public func modify<T: Codable & Sendable>(
        as type: T.Type,
        maximumAttempts: Int = 5,
        _ change: (inout T) throws -> Void
    ) async throws -> T {
        var attempt = 1
        while true {
            var current = try await versioned(as: type)
            try change(&current.value)
            do throws(EntityClientError) {
                return try await update(current.value, ifVersion: current.version)
            } catch {
                guard error.code == .versionMismatch, attempt < maximumAttempts else { throw error }
                attempt += 1
            }
        }
    }

    /// `request` with `If-Match` when a version is given, and then an idempotency key too: a retried
    /// conditional write would otherwise fail against the version its own first attempt wrote.
    private func conditional(_ request: ClientRequest, _ version: Int64?) -> ClientRequest {
        guard let version else { return request }
        var request = request
        request.setHeader("If-Match", "\"\(version)\"")
        if request.idempotencyKey == nil { request.idempotencyKey = UUID().uuidString }
        return request
    }
}
