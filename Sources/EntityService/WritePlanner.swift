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
    let policy: AccessPolicy

    init(
        service: EntityService,
        collection: CollectionPath,
        declaration: CollectionSchema,
        caller: Caller
    ) {
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
        /// The item each write belongs to.
        var itemOfWrite: [Int] = []
        /// The writes that are effects of a delete on the entities referencing it (``PlannedWrite/effects``).
        var effectWrites: Set<Int> = []
    }

    /// The write planned for one operation.
    struct PlannedWrite {
        var write: EntityWrite
        /// The entity as written; `nil` for a delete.
        var result: Entity?
        /// Whether the id was generated here.
        var generated: Bool
        /// The entity before the write (`nil` for a create).
        var previous: Entity? = nil
        /// Writes the operation causes on other entities, applied before ``write``: a delete sets the
        /// references to the deleted entity to `null` (``ReferenceSchema/OnDelete/setNull``).
        var effects: [EntityWrite] = []

        /// The effects, then the write: what is applied, in order.
        var writes: [EntityWrite] { effects + [write] }
    }

    /// Plans a batch applied all or nothing: fails with every item's problem (`item N: …`, when
    /// `itemized`) or with the first one.
    func plan(_ operations: [BatchOperation], itemized: Bool) async throws(EntityError) -> Plan {
        if operations.contains(where: { $0.storedTargetID == nil }) { try policy.requireCreate(in: collection) }
        var plan = Plan()
        var failures: [(Int, EntityError)] = []
        var staged = StagedEntities()
        for (index, item) in try await planEach(operations, checkingNewIDs: false, staged: &staged).enumerated() {
            switch item {
            case .success(let planned):
                for (offset, write) in planned.writes.enumerated() {
                    if offset < planned.effects.count { plan.effectWrites.insert(plan.writes.count) }
                    plan.writes.append(write)
                    plan.itemOfWrite.append(index)
                }
                plan.results.append(planned.result)
                if planned.generated { plan.generatedIDs.insert(index) }
            case .failure(let error):
                failures.append((index, error))
            }
        }
        guard let first = failures.first else { return plan }
        if !itemized { throw first.1 }
        throw EntityError(first.1.code, failures.flatMap { $0.1.forItem($0.0).messages })
    }

    /// Plans every operation on its own: the write of each valid one, the problem of each other one.
    ///
    /// The targets are read in one store call and the caller's rights on them in one more. With
    /// `checkingNewIDs`, the ids that creates supply are read too, so that a create of an existing id
    /// fails here with `duplicateID` rather than when the batch is applied. A later item naming an id
    /// an earlier valid item writes is `invalidRequest`.
    ///
    /// `read`, when given, holds the named entities the caller has just read (a missing id: none
    /// stored), so that they are not read again.
    ///
    /// Planning sees `staged` (writes of earlier changeset steps, not stored yet) in place of what
    /// the store holds, and records there the writes of each item it plans, for the later items and
    /// steps; a batch or changeset with a failed item is discarded whole, staged writes with it.
    /// Extending `staged` in place keeps a changeset of n steps O(n), not O(n²).
    func planEach(
        _ operations: [BatchOperation],
        checkingNewIDs: Bool,
        staged: inout StagedEntities,
        read: [String: Entity]? = nil
    ) async throws(EntityError) -> [Result<PlannedWrite, EntityError>] {
        // Stores keep milliseconds; truncating here makes returned entities equal to stored ones.
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        var createRefusal: EntityError?
        if operations.contains(where: { $0.storedTargetID == nil }) {
            do throws(EntityError) { try policy.requireCreate(in: collection) } catch { createRefusal = error }
        }
        let named = operations.compactMap { checkingNewIDs ? $0.targetID : $0.storedTargetID }
        var stored: [String: Entity]
        if let read {
            stored = read
        } else {
            stored = try await storedEntities(named: named.filter { staged[$0, in: collection] == nil })
        }
        for id in named {
            if case .written(let entity) = staged[id, in: collection] { stored[id] = entity }
        }
        let rights = try await service.rights(of: caller, on: stored.values, in: collection, policy: policy)
        // Earlier items of this batch are staged for the later ones (a delete's effects on the
        // entities that reference it may touch the target of a later item).
        func current(_ id: String, in staged: StagedEntities) -> Entity? {
            switch staged[id, in: collection] {
            case .written(let entity): return entity
            case .deleted: return nil
            case nil: return stored[id]
            }
        }
        var seenIDs: Set<String> = []
        var items: [Result<PlannedWrite, EntityError>] = []
        items.reserveCapacity(operations.count)
        for operation in operations {
            do throws(EntityError) {
                if operation.storedTargetID == nil {
                    if let createRefusal { throw createRefusal }
                    if checkingNewIDs, let id = operation.targetID, current(id, in: staged) != nil {
                        throw EntityError(.duplicateID, "\(collection.schemaKey) '\(id)' already exists")
                    }
                }
                let target = Target(
                    stored: operation.storedTargetID.flatMap { current($0, in: staged) },
                    rights: rights
                )
                var planned = try await planOne(operation, now: now, target: target, staged: staged)
                planned.previous = target.stored
                let id = planned.result?.id ?? operation.targetID ?? ""
                guard seenIDs.insert(id).inserted else {
                    throw EntityError(.invalidRequest, "id '\(id)' appears more than once in the batch")
                }
                for write in planned.writes { staged.record(write) }
                items.append(.success(planned))
            } catch {
                items.append(.failure(error))
            }
        }
        return try await checkingFiles(of: checkingReferences(of: items, staged: staged))
    }

    /// The stored entities among `ids`, read at once.
    private func storedEntities(named ids: [String]) async throws(EntityError) -> [String: Entity] {
        guard !ids.isEmpty else { return [:] }
        do { return try await service.store.get(ids, in: collection) } catch { throw service.map(error) }
    }

    /// The stored entity an update or delete names (nil when it does not exist), with the caller's rights.
    private struct Target {
        let stored: Entity?
        let rights: [String: AccessRight]
        var right: AccessRight? { stored.flatMap { rights[$0.id] } }
    }

    private func planOne(
        _ operation: BatchOperation,
        now: Date,
        target: Target,
        staged: StagedEntities
    ) async throws(EntityError) -> PlannedWrite {
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
            return PlannedWrite(write: .insert(entity), result: entity, generated: suppliedID == nil)
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
        case .replace(let id, let document, let expected):
            let current = try currentEntity(id, expectedVersion: expected, target: target, needing: .update)
            var values = try objectMembers(of: document)
            try checkBodyID(&values, matches: id)
            return try replacement(of: current, values: values, now: now)
        case .delete(let id, let expected):
            let current = try currentEntity(id, expectedVersion: expected, target: target, needing: .delete)
            try await requireNoNestedEntities(in: current)
            let write = EntityWrite.delete(id: id, collection: collection, expectedVersion: current.version)
            let effects = try await referenceEffects(ofDeleting: current, now: now, staged: staged)
            return PlannedWrite(write: write, result: nil, generated: false, effects: effects)
        }
    }

    private func replacement(of current: Entity, values: [String: JSON], now: Date) throws(EntityError)
        -> PlannedWrite
    {
        var updated = current
        updated.values = try validator.validate(values)
        updated.version = current.version + 1
        updated.updatedAt = max(now, current.updatedAt)
        return PlannedWrite(
            write: .update(updated, expectedVersion: current.version),
            result: updated,
            generated: false
        )
    }

    /// The entity `id` when the caller may update it and it is at `expectedVersion` (what an action
    /// runs on), as `staged` left it or else as stored.
    func currentEntity(_ id: String, expectedVersion: Int64?, staged: StagedEntities) async throws(EntityError)
        -> Entity
    {
        let stored: Entity?
        switch staged[id, in: collection] {
        case .written(let entity): stored = entity
        case .deleted: stored = nil
        case nil: stored = try await service.fetch(id, in: collection)
        }
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

    /// Removes and checks the `id` a create supplies, as the collection's ``IDKind`` allows.
    private func takeID(from values: inout [String: JSON]) throws(EntityError) -> String? {
        guard let value = values.removeValue(forKey: "id"), value != .null else { return nil }
        switch (declaration.ids, value) {
        case (.uri, let value) where value.stringValue == nil:
            throw EntityError(.validationFailed, "id: expected an absolute IRI as a string, found \(value.typeName)")
        case (_, .string(let id)):
            guard let problem = declaration.ids.problem(with: id) else { return id }
            let shown = declaration.ids == .urlSafe ? ", found \(value)" : ""
            throw EntityError(.validationFailed, "id: \(problem)\(shown)")
        case (.urlSafe, _):
            throw EntityError(
                .validationFailed,
                "id: expected 1 to 128 characters of A-Z a-z 0-9 - _ . ~, found \(value)"
            )
        default:
            throw EntityError(.validationFailed, "id: expected text as a string, found \(value.typeName)")
        }
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
