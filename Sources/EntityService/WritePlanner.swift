import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// Turns the operations of a batch into store writes: reads current versions, validates, assigns ids,
/// versions and timestamps. Collects every item's problem before failing, so a client learns all of
/// them at once.
struct WritePlanner {
    let service: EntityService
    let collection: CollectionPath
    let declaration: CollectionSchema
    let caller: Caller
    private let validator: SchemaValidator
    private let policy: AccessPolicy

    init(service: EntityService, collection: CollectionPath, declaration: CollectionSchema, caller: Caller) {
        self.service = service
        self.collection = collection
        self.declaration = declaration
        self.caller = caller
        self.validator = SchemaValidator(collection: declaration)
        self.policy = service.policy(for: caller, in: declaration)
    }

    struct Plan {
        var writes: [EntityWrite] = []
        var results: [Entity?] = []
        /// Items whose id was generated here (a duplicate of those is retried with a new id).
        var generatedIDs: Set<Int> = []
    }

    func plan(_ operations: [BatchOperation], itemized: Bool) async throws(EntityError) -> Plan {
        // Stores keep milliseconds; truncating here makes returned entities equal to stored ones.
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        var plan = Plan()
        var failures: [(Int, EntityError)] = []
        var seenIDs: Set<String> = []
        if operations.contains(where: { $0.storedTargetID == nil }) { try policy.requireCreate(in: collection) }
        let stored = try await storedEntities(targetedBy: operations)
        let rights = try await service.rights(of: caller, on: stored.values, in: collection, policy: policy)
        for (index, operation) in operations.enumerated() {
            do throws(EntityError) {
                let target = Target(stored: operation.storedTargetID.flatMap { stored[$0] }, rights: rights)
                let (write, result, generated) = try await planOne(operation, now: now, target: target)
                let id = result?.id ?? operation.targetID ?? ""
                guard seenIDs.insert(id).inserted else {
                    throw EntityError(.invalidRequest, "id '\(id)' appears more than once in the batch")
                }
                plan.writes.append(write)
                plan.results.append(result)
                if generated { plan.generatedIDs.insert(index) }
            } catch {
                failures.append((index, error))
            }
        }
        guard let first = failures.first else { return plan }
        if !itemized { throw first.1 }
        throw EntityError(first.1.code, failures.flatMap { $0.1.forItem($0.0).messages })
    }

    /// The stored entities that the updates and deletes among `operations` name, read at once.
    private func storedEntities(targetedBy operations: [BatchOperation]) async throws(EntityError) -> [String: Entity] {
        let ids = operations.compactMap(\.storedTargetID)
        guard !ids.isEmpty else { return [:] }
        do { return try await service.store.get(ids, in: collection) } catch { throw service.map(error) }
    }

    /// The stored entity an update or delete names (nil when it does not exist), with the caller's rights.
    private struct Target {
        let stored: Entity?
        let rights: [String: AccessRight]
        var right: AccessRight? { stored.flatMap { rights[$0.id] } }
    }

    private func planOne(_ operation: BatchOperation, now: Date, target: Target) async throws(EntityError)
        -> (EntityWrite, Entity?, Bool)
    {
        switch operation {
        case .create(let document):
            var values = try objectMembers(of: document)
            let suppliedID = try takeID(from: &values)
            let id = suppliedID ?? service.ids.makeID(for: declaration)
            let entity = Entity(
                collection: collection,
                id: id,
                values: try validator.validate(values),
                version: 1,
                createdAt: now,
                updatedAt: now,
                createdBy: caller.userID
            )
            return (.insert(entity), entity, suppliedID == nil)
        case .update(let id, let fields, let expected):
            let current = try currentEntity(id, expectedVersion: expected, target: target, needing: .update)
            var values = current.values
            var changes = try objectMembers(of: fields)
            try checkBodyID(&changes, matches: id)
            for (key, value) in changes { values[key] = value }
            return try replacement(of: current, values: values, now: now)
        case .mergePatch(let id, let patch, let expected):
            let current = try currentEntity(id, expectedVersion: expected, target: target, needing: .update)
            var changes = try objectMembers(of: patch)
            try checkBodyID(&changes, matches: id)
            let merged = JSON.object(current.values).applyingMergePatch(.object(changes))
            return try replacement(of: current, values: merged.objectValue ?? [:], now: now)
        case .delete(let id, let expected):
            let current = try currentEntity(id, expectedVersion: expected, target: target, needing: .delete)
            try await requireNoNestedEntities(in: current)
            return (.delete(id: id, collection: collection, expectedVersion: current.version), nil, false)
        }
    }

    private func replacement(of current: Entity, values: [String: JSON], now: Date) throws(EntityError) -> (
        EntityWrite, Entity?, Bool
    ) {
        var updated = current
        updated.values = try validator.validate(values)
        updated.version = current.version + 1
        updated.updatedAt = max(now, current.updatedAt)
        return (.update(updated, expectedVersion: current.version), updated, false)
    }

    /// The entity `id` when the caller may update it and it is at `expectedVersion` (what an action runs on).
    func currentEntity(_ id: String, expectedVersion: Int64?) async throws(EntityError) -> Entity {
        let stored = try await service.fetch(id, in: collection)
        let rights = try await service.rights(of: caller, on: stored.map { [$0] } ?? [], in: collection, policy: policy)
        return try currentEntity(
            id,
            expectedVersion: expectedVersion,
            target: Target(stored: stored, rights: rights),
            needing: .update
        )
    }

    /// The entity read for `id`, when the caller holds `needed` on it and it is at `expectedVersion`.
    /// An entity the caller cannot read is reported missing, before its version is compared.
    private func currentEntity(_ id: String, expectedVersion: Int64?, target: Target, needing needed: AccessRight)
        throws(EntityError) -> Entity
    {
        guard let current = target.stored, target.right != nil else {
            throw service.notFound(id, in: collection)
        }
        try policy.require(needed, target.right, on: current)
        if let expectedVersion, expectedVersion != current.version {
            throw EntityError(
                .versionMismatch,
                "\(collection.schemaKey) '\(id)' is at version \(current.version), not \(expectedVersion)"
            )
        }
        return current
    }

    private func requireNoNestedEntities(in entity: Entity) async throws(EntityError) {
        for name in declaration.collections.keys.sorted() {
            let nested = collection.nested(name, in: entity.id)
            let page: QueryPage
            do {
                page = try await service.store.query(Query(limit: 0), in: nested)
            } catch {
                throw service.map(error)
            }
            // The refusal names no count: some of the nested entities may be hidden from the caller.
            if let total = page.total, total > 0 {
                throw EntityError(
                    .conflict,
                    "\(collection.schemaKey) '\(entity.id)' still has entities in '\(name)'; delete them first"
                )
            }
        }
    }

    private func objectMembers(of document: JSON) throws(EntityError) -> [String: JSON] {
        guard case .object(var members) = document else {
            throw EntityError(.invalidRequest, "expected a JSON object, found \(document.typeName)")
        }
        members.removeValue(forKey: Entity.metaKey)
        return members
    }

    private func takeID(from values: inout [String: JSON]) throws(EntityError) -> String? {
        guard let value = values.removeValue(forKey: "id"), value != .null else { return nil }
        guard case .string(let id) = value, IDGenerator.isValidClientID(id) else {
            throw EntityError(
                .validationFailed,
                "id: expected 1 to 128 characters of A-Z a-z 0-9 - _ . ~, found \(value)"
            )
        }
        return id
    }

    private func checkBodyID(_ values: inout [String: JSON], matches id: String) throws(EntityError) {
        guard let value = values.removeValue(forKey: "id"), value != .null else { return }
        guard value == .string(id) else {
            throw EntityError(
                .invalidRequest,
                "id: the body names '\(value.stringValue ?? value.description)' but the request is for '\(id)'"
            )
        }
    }
}

extension BatchOperation {
    /// The id of the stored entity the operation changes (nil for creates).
    var storedTargetID: String? {
        switch self {
        case .create: return nil
        case .update(let id, _, _), .mergePatch(let id, _, _), .delete(let id, _): return id
        }
    }

    var targetID: String? {
        switch self {
        case .create(let document): return document["id"]?.stringValue
        case .update(let id, _, _), .mergePatch(let id, _, _), .delete(let id, _): return id
        }
    }
}
