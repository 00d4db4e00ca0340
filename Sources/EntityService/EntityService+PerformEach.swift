import EntityModel
import EntityStore

extension EntityService {
    /// Runs a batch item by item: every operation is planned on its own, the valid ones are written
    /// in **one** store transaction, and each other one is answered with its own error. What a
    /// protocol with per-item batch results (NGSI-LD's 207) needs.
    ///
    /// Returns one result per operation, in order: the written entity (`nil` for a delete), or why the
    /// item was not written — `notFound` (missing, or not readable by the caller), `forbidden`,
    /// `unauthenticated`, `validationFailed`, `duplicateID` (a create of an existing id),
    /// `versionMismatch` (an expected version that is not the current one), `invalidRequest` (an id
    /// that an earlier item of the batch writes, a body of the wrong shape).
    ///
    /// Throws, writing nothing, for problems of the whole request: an unknown collection, more than
    /// ``Configuration/maximumBatchSize`` items, a nested collection whose parent the caller cannot
    /// read, a store failure. A concurrent change found while writing does not fail the other items:
    /// an item with an expected version gets `versionMismatch`, one without is planned again on what
    /// is now stored (at most ``Configuration/conflictRetries`` times), and the rest is written again.
    ///
    /// ```swift
    /// let results = try await service.performEach(
    ///     [.create(["id": "urn:ngsi-ld:Room:1", "type": "Room"]), .delete(id: "urn:ngsi-ld:Room:2")],
    ///     in: CollectionPath("ngsild"), as: caller)
    /// for case .failure(let error) in results { print(error) }
    /// ```
    public func performEach(
        _ operations: [BatchOperation],
        in collection: CollectionPath,
        as caller: Caller
    ) async throws(EntityError) -> [Result<Entity?, EntityError>] {
        let declaration = try collectionSchema(collection)
        try checkBatchSize(operations.count)
        guard !operations.isEmpty else { return [] }
        try await requireParent(of: collection, as: caller)
        // Items whose outcome a failed write decided; they are not planned into another attempt.
        var settled: [Int: EntityError] = [:]
        var attempt = 0
        while true {
            let planner = WritePlanner(service: self, collection: collection, declaration: declaration, caller: caller)
            var staged = StagedEntities()
            let planned = try await planner.planEach(operations, checkingNewIDs: true, staged: &staged)
            var writes: [EntityWrite] = []
            var itemOfWrite: [Int] = []
            var effectWrites: Set<Int> = []
            var results: [Result<Entity?, EntityError>] = []
            writes.reserveCapacity(operations.count)
            itemOfWrite.reserveCapacity(operations.count)
            results.reserveCapacity(operations.count)
            for (index, item) in planned.enumerated() {
                if let error = settled[index] {
                    results.append(.failure(error))
                    continue
                }
                switch item {
                case .success(let plannedWrite):
                    for (offset, write) in plannedWrite.writes.enumerated() {
                        if offset < plannedWrite.effects.count { effectWrites.insert(writes.count) }
                        writes.append(write)
                        itemOfWrite.append(index)
                    }
                    results.append(.success(plannedWrite.result))
                case .failure(let error):
                    results.append(.failure(error))
                }
            }
            guard !writes.isEmpty else { return results }
            do {
                try await store.apply(writes, recording: nil)
                return results
            } catch {
                guard let position = error.index, itemOfWrite.indices.contains(position),
                    [.versionConflict, .duplicateID, .notFound].contains(error.code)
                else { throw map(error) }
                let index = itemOfWrite[position]
                if error.code == .versionConflict, operations[index].expectedVersion != nil,
                    !effectWrites.contains(position)
                {
                    settled[index] = Self.changedConcurrently
                } else if attempt < configuration.conflictRetries {
                    // Planned again on what is stored now: a duplicate of a supplied id becomes that
                    // item's duplicateID, a generated one gets a new id, a vanished target is notFound.
                    attempt += 1
                    await backOff(attempt: attempt)
                } else {
                    settled[index] = map(error)
                }
            }
        }
    }
}
