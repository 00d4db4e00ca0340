import EntityModel
import EntityQuery
import EntityStore

extension EntityService {
    /// Creates one entity from a JSON object (`id` member optional).
    ///
    /// With an `idempotencyKey`, a repeat of the same request returns the entity created the first time
    /// instead of creating another.
    public func create(
        _ document: JSON,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> Entity {
        try await single(.create(document), in: collection, as: caller, idempotencyKey: idempotencyKey)
    }

    /// Sets the given top-level fields of an entity; `expectedVersion` makes it conditional (`If-Match`).
    /// With an `idempotencyKey`, a repeat of the same request returns the entity without writing again (so a
    /// conditional update whose answer was lost does not come back as a version mismatch).
    public func update(
        _ id: String,
        setting fields: JSON,
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> Entity {
        try await single(
            .update(id: id, fields: fields, expectedVersion: expectedVersion),
            in: collection,
            as: caller,
            idempotencyKey: idempotencyKey
        )
    }

    /// Applies an RFC 7396 merge patch to an entity; with an `idempotencyKey`, a repeat of the same
    /// request returns the entity without patching it again.
    public func patch(
        _ id: String,
        with patch: JSON,
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> Entity {
        try await single(
            .mergePatch(id: id, patch: patch, expectedVersion: expectedVersion),
            in: collection,
            as: caller,
            idempotencyKey: idempotencyKey
        )
    }

    /// Replaces all the values of an entity by those of `document` (a JSON object; its `id` member, if
    /// any, must be `id`). The entity keeps its id, creation time and creator; its version grows by one.
    /// Needs ``AccessRight/update``; `expectedVersion` makes it conditional (`If-Match`). With an
    /// `idempotencyKey`, a repeat of the same request returns the entity without replacing it again.
    ///
    /// ```swift
    /// let room = try await service.replace("urn:ngsi-ld:Room:1", with: ["type": "Room"], expectedVersion: 3,
    ///                                      in: CollectionPath("ngsild"), as: caller)
    /// ```
    public func replace(
        _ id: String,
        with document: JSON,
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> Entity {
        try await single(
            .replace(id: id, document: document, expectedVersion: expectedVersion),
            in: collection,
            as: caller,
            idempotencyKey: idempotencyKey
        )
    }

    /// Deletes an entity; with an `idempotencyKey`, a repeat of the same request succeeds again instead of
    /// finding the entity gone.
    public func delete(
        _ id: String,
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) {
        _ = try await perform(
            [.delete(id: id, expectedVersion: expectedVersion)],
            in: collection,
            as: caller,
            itemized: false,
            idempotencyKey: idempotencyKey
        )
    }

    /// Runs a batch in one transaction: every operation is applied, or none is.
    ///
    /// Returns one result per operation (the written entity; `nil` for a delete). When any operation
    /// fails, the error lists every failing item as `item N: ...` (0-based) and nothing is written.
    ///
    /// With an `idempotencyKey`, a repeat of the same request returns the entities written the first time
    /// and writes nothing.
    public func perform(
        _ operations: [BatchOperation],
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> [Entity?] {
        try await perform(operations, in: collection, as: caller, itemized: true, idempotencyKey: idempotencyKey)
    }

    private func single(
        _ operation: BatchOperation,
        in collection: CollectionPath,
        as caller: Caller,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> Entity {
        let results = try await perform(
            [operation],
            in: collection,
            as: caller,
            itemized: false,
            idempotencyKey: idempotencyKey
        )
        guard let entity = results.first ?? nil else {
            // Only a delete has no entity, and `single` is not called for deletes.
            throw EntityError(.internal, "a write of one entity answered without it")
        }
        return entity
    }

    func perform(
        _ operations: [BatchOperation],
        in collection: CollectionPath,
        as caller: Caller,
        itemized: Bool,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(EntityError) -> [Entity?] {
        let declaration = try collectionSchema(collection)
        try checkBatchSize(operations.count)
        guard !operations.isEmpty else { return [] }
        try await requireParent(of: collection, as: caller)
        if let idempotencyKey,
            let replayed = try await replay(idempotencyKey, in: collection, as: caller, itemized: itemized)
        {
            return replayed
        }
        var attempt = 0
        while true {
            let plan = try await WritePlanner(
                service: self,
                collection: collection,
                declaration: declaration,
                caller: caller
            )
            .plan(operations, itemized: itemized)
            do {
                let record = idempotencyKey.map { $0.record(for: caller, in: collection, results: plan.results) }
                try await store.apply(plan.writes, recording: record)
                return plan.results
            } catch {
                if error.code == .duplicateKey, let idempotencyKey,
                    let replayed = try await replay(idempotencyKey, in: collection, as: caller, itemized: itemized)
                {
                    return replayed
                }
                let position = error.index ?? 0
                let index = plan.itemOfWrite.indices.contains(position) ? plan.itemOfWrite[position] : 0
                // A delete's effect on a referencing entity expects the version planning read, never the caller's.
                let callerVersion = operations[index].expectedVersion != nil && !plan.effectWrites.contains(position)
                let retryable =
                    attempt < configuration.conflictRetries
                    && ((error.code == .versionConflict && !callerVersion)
                        || (error.code == .duplicateID && plan.generatedIDs.contains(index)))
                if retryable {
                    attempt += 1
                    await backOff(attempt: attempt)
                    continue
                }
                var mapped = map(error)
                if error.code == .versionConflict, callerVersion {
                    mapped = Self.changedConcurrently
                }
                throw itemized ? mapped.forItem(index) : mapped
            }
        }
    }

    /// Fails with `invalidRequest` when a batch holds more items than ``Configuration/maximumBatchSize``.
    func checkBatchSize(_ count: Int) throws(EntityError) {
        guard count <= configuration.maximumBatchSize else {
            throw EntityError(
                .invalidRequest,
                "a batch may hold at most \(configuration.maximumBatchSize) items, got \(count)"
            )
        }
    }

    /// The error of a write whose expected version a concurrent change made stale.
    static let changedConcurrently = EntityError(
        .versionMismatch,
        "the entity was changed by another request; reload it and retry"
    )

    /// Waits a little before retrying after a concurrent change, longer (with jitter) each attempt.
    func backOff(attempt: Int) async {
        let microseconds = Int.random(in: 0...(min(attempt, 20) * 200))
        try? await Task.sleep(for: .microseconds(microseconds))
    }
}
