import EntityModel
import EntityQuery
import EntityService
import Foundation
import HTTPTypes

extension ODataExchange {
    /// `POST Set` (and `POST Set('k')/Nav`, which links the new entity): 201 with `Location` and the
    /// entity, or 204 with `OData-EntityId` under `Prefer: return=minimal`.
    func create(in collection: ODataEntityCollection, request: ODataRequest) async throws -> ODataResponse {
        let reader = bodyReader(for: collection.type)
        var document = try reader.document(try reader.object(of: request))
        if let membership = collection.membership { document[membership.field] = .string(membership.id) }
        guard let entity = try await apply(.create(.object(document)), in: collection.path) else {
            throw ODataError(.internalServerError, "a create answered without the entity")
        }
        return try written(entity, in: collection, status: .created, request: request)
    }

    /// `PATCH` (merge) and `PUT` (replace) of `Set('k')`, with `If-Match`; an entity that does not
    /// exist is created (upsert) unless `If-Match` is given.
    func update(_ address: ODataEntityAddress, request: ODataRequest) async throws -> ODataResponse {
        let reader = bodyReader(for: address.collection.type)
        var document = try reader.document(try reader.object(of: request))
        if let id = document["id"], id != .string(address.id) {
            throw ODataError(.badRequest, "the key 'id' cannot change (\(address.id))", target: "id")
        }
        document["id"] = nil
        let condition = try precondition(request, collection: address.collection)
        if condition.insertOnly {
            document["id"] = .string(address.id)
            return try await upsertCreate(document, address: address, request: request)
        }
        let operation: BatchOperation =
            request.method == .put
            ? .replace(id: address.id, document: .object(document), expectedVersion: condition.version)
            : .mergePatch(id: address.id, patch: .object(document), expectedVersion: condition.version)
        do {
            guard let entity = try await apply(operation, in: address.collection.path) else {
                throw ODataError(.internalServerError, "an update answered without the entity")
            }
            return try written(entity, in: address.collection, status: .ok, request: request)
        } catch let error as EntityError where error.code == .notFound && !condition.mustExist && changeset == nil {
            // Upsert: the entity does not exist, or the caller may not see it. Inside a changeset a
            // failed step fails the changeset, so there is no upsert there.
            document["id"] = .string(address.id)
            do {
                return try await upsertCreate(document, address: address, request: request)
            } catch let failure as EntityError where [.unauthenticated, .forbidden].contains(failure.code) {
                throw ODataError(.notFound, "no entity \(address.path)")
            } catch let failure as EntityError where request.method == .patch && failure.code == .validationFailed {
                // A PATCH of an entity the caller cannot see creates one only when it is complete.
                throw ODataError(
                    .notFound,
                    "\(address.path) does not exist, and the PATCH body is no complete entity to create: \(failure)"
                )
            }
        }
    }

    /// `DELETE Set('k')` → 204; `If-Match` as for updates.
    func delete(_ address: ODataEntityAddress, request: ODataRequest) async throws -> ODataResponse {
        let condition = try precondition(request, collection: address.collection)
        _ = try await apply(.delete(id: address.id, expectedVersion: condition.version), in: address.collection.path)
        return .noContent(version: version)
    }

    /// `PUT`/`PATCH Set('k')/Prop` (`{"value": …}`, or the raw text for `/$value`).
    func writeProperty(_ address: ODataEntityAddress, _ property: ODataProperty, raw: Bool, request: ODataRequest)
        async throws -> ODataResponse
    {
        guard !property.isComputed, property.name != "id", let field = property.path.components.first else {
            throw ODataError(.badRequest, "\(property.name) is set by the server", target: property.name)
        }
        let value: JSON
        if raw {
            let text = String(decoding: request.body, as: UTF8.self)
            switch property.type {
            case .primitive(.string), .primitive(.date), .primitive(.dateTimeOffset): value = .string(text)
            default: value = (try? JSON(parsing: text)) ?? .string(text)
            }
        } else {
            let members = try bodyReader(for: address.collection.type).object(of: request)
            value = try bodyReader(for: address.collection.type).value(
                members["value"] ?? .null,
                as: property.type,
                property: property.name
            )
        }
        let condition = try precondition(request, collection: address.collection)
        _ = try await apply(
            .update(id: address.id, fields: .object([field: value]), expectedVersion: condition.version),
            in: address.collection.path
        )
        return .noContent(version: version)
    }

    /// `DELETE Set('k')/Prop`: the property becomes null.
    func deleteProperty(_ address: ODataEntityAddress, _ property: ODataProperty, request: ODataRequest) async throws
        -> ODataResponse
    {
        guard !property.isComputed, property.isNullable, let field = property.path.components.first else {
            throw ODataError(.badRequest, "\(property.name) cannot be null", target: property.name)
        }
        let condition = try precondition(request, collection: address.collection)
        _ = try await apply(
            .update(id: address.id, fields: .object([field: .null]), expectedVersion: condition.version),
            in: address.collection.path
        )
        return .noContent(version: version)
    }

    // MARK: Shared by the writes

    /// Runs one write: in the `$batch` changeset when there is one, else on its own.
    func apply(_ operation: BatchOperation, in collection: CollectionPath) async throws -> Entity? {
        if let changeset { return try await changeset.perform(operation, in: collection) }
        switch operation {
        case .create(let document):
            return try await service.create(document, in: collection, as: caller)
        case .update(let id, let fields, let version):
            return try await service.update(id, setting: fields, expectedVersion: version, in: collection, as: caller)
        case .mergePatch(let id, let patch, let version):
            return try await service.patch(id, with: patch, expectedVersion: version, in: collection, as: caller)
        case .replace(let id, let document, let version):
            return try await service.replace(id, with: document, expectedVersion: version, in: collection, as: caller)
        case .delete(let id, let version):
            try await service.delete(id, expectedVersion: version, in: collection, as: caller)
            return nil
        }
    }

    func bodyReader(for type: ODataStructuredType) -> ODataBodyReader {
        ODataBodyReader(
            model: model,
            type: type,
            maximumDepth: limits.maximumJSONDepth,
            batchReferences: batchReferences
        )
    }

    /// What `If-Match` and `If-None-Match` ask of a write, and 428 where the collection requires it.
    struct WriteCondition {
        /// The version `If-Match` names (`nil` for `*` or no header).
        var version: Int64?
        /// `If-Match` was given (`*` included): the entity must exist, no upsert.
        var mustExist: Bool
        /// `If-None-Match: *`: create only.
        var insertOnly: Bool
    }

    func precondition(_ request: ODataRequest, collection: ODataEntityCollection) throws -> WriteCondition {
        let ifMatch = request.header(.ifMatch)?.trimmingCharacters(in: .whitespaces)
        let ifNoneMatch = request.header(.ifNoneMatch)?.trimmingCharacters(in: .whitespaces)
        if ifMatch == nil, ifNoneMatch == nil, metadata.requiringETags.contains(collection.type.name) {
            throw ODataError(
                .preconditionRequired,
                "\(collection.type.name) requires If-Match with the entity's ETag for writes"
            )
        }
        var version: Int64?
        if let ifMatch, ifMatch != "*" {
            do {
                version = try ETag.expectedVersion(from: ifMatch)
            } catch {
                throw ODataError(.preconditionFailed, "If-Match: '\(ifMatch)' is not an ETag of this entity")
            }
        }
        return WriteCondition(version: version, mustExist: ifMatch != nil, insertOnly: ifNoneMatch == "*")
    }

    /// The create half of an upsert: 201 (or 204 with `OData-EntityId`), or 412 if it exists after all.
    private func upsertCreate(_ document: [String: JSON], address: ODataEntityAddress, request: ODataRequest)
        async throws -> ODataResponse
    {
        do {
            guard let entity = try await apply(.create(.object(document)), in: address.collection.path) else {
                throw ODataError(.internalServerError, "a create answered without the entity")
            }
            return try written(entity, in: address.collection, status: .created, request: request)
        } catch let error as EntityError where error.code == .duplicateID {
            let condition = try precondition(request, collection: address.collection)
            guard condition.insertOnly else {
                // It exists, but the caller may not read it: as if it did not exist.
                throw ODataError(.notFound, "no entity \(address.path)")
            }
            throw ODataError(.preconditionFailed, "\(address.path) exists (If-None-Match: * asks to create only)")
        }
    }

    /// The answer to a write: the entity (201, or 200 for `return=representation`), or 204 with
    /// `OData-EntityId` (creates under `return=minimal`, updates by default).
    func written(
        _ entity: Entity,
        in collection: ODataEntityCollection,
        status: HTTPResponse.Status,
        request: ODataRequest
    )
        throws -> ODataResponse
    {
        let preference = ODataPreferences(request.headers[values: .prefer]).returnPreference
        let path = collection.entityPath(entity.id)
        var headers = HTTPFields()
        headers[.eTag] = ETag.header(for: entity.version)
        if status == .created { headers[.location] = serviceRoot + path }
        let minimal = status == .created ? preference == .minimal : preference != .representation
        if let preference { headers[.preferenceApplied] = "return=\(preference.rawValue)" }
        if minimal {
            headers[.odataEntityID] = serviceRoot + path
            return .noContent(version: version, headers: headers)
        }
        return try entityAnswer(entity, in: collection, status: status, request: request, headers: headers)
    }
}
