import EntityModel
import EntityStore

/// Writes across collections applied all or nothing: what an OData `$batch` changeset (or JSON
/// atomicity group) is.
///
/// Each step is planned at once — validated, access-checked, given its id, version and
/// timestamps, its references checked — against what the store holds **plus** what the earlier
/// steps staged, so a step may update, delete, run an action on or reference an entity that an
/// earlier step created. A step returns the entity as it will be written. ``commit()`` applies every
/// step's writes in one store transaction. Nothing is written before that; after a failed step the
/// changeset refuses further steps and its commit, so nothing of it is ever written.
///
/// ```swift
/// var changeset = service.changeset(as: caller)
/// let category = try await changeset.perform(.create(["title": "Fruit"]), in: CollectionPath("categories"))
/// let product = try await changeset.perform(.create(["name": "Apple", "categoryId": .string(category!.id)]),
///                                           in: CollectionPath("products"))
/// _ = try await changeset.perform(.mergePatch(id: product!.id, patch: ["price": 2]), in: CollectionPath("products"))
/// try await changeset.commit()
/// ```
public struct Changeset: Sendable {
    private enum State: Sendable {
        case open
        case failed
        case committed
    }

    let service: EntityService
    /// Who makes the writes.
    public let caller: Caller
    private var writes: [EntityWrite] = []
    private var staged = StagedEntities()
    private var state = State.open
    /// How many steps were planned.
    public private(set) var stepCount = 0

    init(service: EntityService, caller: Caller) {
        self.service = service
        self.caller = caller
    }

    /// Plans `operation` on `collection` as the next step; returns the entity as it will be written
    /// (`nil` for a delete). Fails as the same operation alone would (`notFound`, `forbidden`,
    /// `validationFailed`, `duplicateID`, `versionMismatch`, `invalidRequest` for a missing
    /// reference target, `conflict` for a delete that references forbid…); the changeset then fails.
    public mutating func perform(_ operation: BatchOperation, in collection: CollectionPath) async throws(EntityError)
        -> Entity?
    {
        try requireOpen()
        do {
            return try await plan(operation, in: collection)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Plans the resource action `name` on entity `id` as the next step (see
    /// ``EntityService/runAction(_:on:parameters:expectedVersion:in:as:)``); returns the entity as it
    /// will be written.
    public mutating func runAction(
        _ name: String,
        on id: String,
        parameters: [String: JSON] = [:],
        expectedVersion: Int64? = nil,
        in collection: CollectionPath
    ) async throws(EntityError) -> Entity {
        try requireOpen()
        do throws(EntityError) {
            let update = try await service.actionUpdate(
                name,
                on: id,
                parameters: parameters,
                expectedVersion: expectedVersion,
                in: collection,
                as: caller,
                staged: staged
            )
            guard let entity = try await plan(update, in: collection) else {
                throw EntityError(.internal, "an action was planned without its entity")
            }
            return entity
        } catch {
            state = .failed
            throw error
        }
    }

    /// The entity `id` as the steps so far left it (created, updated, or `notFound` once deleted),
    /// else as ``EntityService/get(_:in:as:)`` reads it: what a later step navigates from (`$1/products`).
    public func get(_ id: String, in collection: CollectionPath) async throws(EntityError) -> Entity {
        switch staged[id, in: collection] {
        case .written(let entity): return entity
        case .deleted: throw service.notFound(id, in: collection)
        case nil:
            try await requireParent(of: collection)
            guard let entity = try await service.readableEntity(id, in: collection, as: caller) else {
                throw service.notFound(id, in: collection)
            }
            return entity
        }
    }

    /// Applies the writes of every step in one store transaction. A concurrent change to an entity
    /// the changeset read fails it with `conflict`, writing nothing. A changeset commits once.
    public mutating func commit() async throws(EntityError) {
        try requireOpen()
        state = .committed
        guard !writes.isEmpty else { return }
        do {
            try await service.store.apply(writes, recording: nil)
        } catch {
            state = .failed
            if error.code == .versionConflict || error.code == .notFound {
                throw EntityError(
                    .conflict,
                    "an entity of the changeset was changed by another request; nothing was written, retry"
                )
            }
            throw service.map(error)
        }
    }

    private func requireOpen() throws(EntityError) {
        switch state {
        case .open: return
        case .failed: throw EntityError(.invalidRequest, "a step of the changeset failed; nothing of it is written")
        case .committed: throw EntityError(.invalidRequest, "the changeset was committed already")
        }
    }

    private mutating func plan(_ operation: BatchOperation, in collection: CollectionPath) async throws(EntityError)
        -> Entity?
    {
        let declaration = try service.collectionSchema(collection)
        try service.checkBatchSize(stepCount + 1)
        try await requireParent(of: collection)
        let planner = WritePlanner(service: service, collection: collection, declaration: declaration, caller: caller)
        let planned = try await planner.planEach([operation], checkingNewIDs: true, staged: &staged)[0].get()
        writes.append(contentsOf: planned.writes)
        stepCount += 1
        return planned.result
    }

    /// The parent of a nested collection must exist for the caller, stored or created by a step.
    private func requireParent(of collection: CollectionPath) async throws(EntityError) {
        guard let parent = collection.parent else { return }
        switch staged[parent.id, in: parent.collection] {
        case .written: return
        case .deleted: throw service.notFound(parent.id, in: parent.collection)
        case nil: try await service.requireParent(of: collection, as: caller)
        }
    }
}

extension EntityService {
    /// A new, empty ``Changeset`` whose steps are made by `caller`.
    public func changeset(as caller: Caller) -> Changeset {
        Changeset(service: self, caller: caller)
    }
}
