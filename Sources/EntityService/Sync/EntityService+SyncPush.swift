import EntityModel
import EntityStore
import Foundation

extension EntityService {
    /// Applies a device's offline writes: every mutation merged with what is stored (see
    /// ``SyncMerge``), all of them written in **one** transaction, with one result each.
    ///
    /// A mutation the server cannot apply as it is does not fail the push: it is merged key by key,
    /// and what collides becomes a ``SyncConflict`` kept on the server; a mutation the caller may not
    /// make is `rejected` with its own error. Results are kept per (user, device, mutation id): a
    /// retried or resumed push is answered from them and writes nothing again; a mutation id sent
    /// again with another body is rejected (``EntityError/Code/idempotencyKeyReused``).
    ///
    /// - Throws: ``EntityError/Code/unauthenticated`` for an anonymous caller;
    ///   ``EntityError/Code/invalidRequest`` for an empty device or more mutations than
    ///   ``Configuration/maximumBatchSize``; store failures.
    public func syncPush(_ mutations: [SyncMutation], device: String, as caller: Caller) async throws(EntityError)
        -> [SyncPushResult]
    {
        guard let userID = caller.userID else {
            throw EntityError(.unauthenticated, "sign in to push changes: a push is kept per user and device")
        }
        guard !device.isEmpty, device.utf8.count <= 200 else {
            throw EntityError(.invalidRequest, "device: expected a name of 1 to 200 bytes")
        }
        try checkBatchSize(mutations.count)
        let mids = Array(Set(mutations.map(\.mutationID)))
        let receipts = try await storeCall { () async throws(StoreError) in
            try await store.syncReceipts(userID: userID, device: device, mutationIDs: mids)
        }
        let stored = Dictionary(receipts.map { ($0.mutationID, $0) }, uniquingKeysWith: { first, _ in first })
        var settled = [SyncPushResult?](repeating: nil, count: mutations.count)
        var fingerprints: [Int: String] = [:]
        var seen: Set<String> = []
        var pending: [Int] = []
        for (index, mutation) in mutations.enumerated() {
            let fingerprint = IdempotencyKey.fingerprint(of: [mutation.canonicalText])
            guard seen.insert(mutation.mutationID).inserted else {
                settled[index] = .rejected(
                    mutation,
                    EntityError(
                        .idempotencyKeyReused,
                        "mid '\(mutation.mutationID)' appears more than once in the push"
                    )
                )
                continue
            }
            if let receipt = stored[mutation.mutationID] {
                settled[index] =
                    receipt.fingerprint == fingerprint
                    ? SyncPushResult(receipt: receipt.result, for: mutation)
                        ?? .rejected(mutation, EntityError(.internal, "the stored result is unreadable"))
                    : .rejected(
                        mutation,
                        EntityError(
                            .idempotencyKeyReused,
                            "mid '\(mutation.mutationID)' was pushed before with another mutation"
                        )
                    )
                continue
            }
            fingerprints[index] = fingerprint
            pending.append(index)
        }
        var attempt = 0
        while true {
            var plan = SyncPushPlan(service: self, caller: caller, userID: userID, device: device)
            for run in Self.runs(of: pending, in: mutations) {
                try await plan.add(run.map { (index: $0, mutation: mutations[$0]) })
            }
            var results = settled
            var records = WriteRecords()
            let now = Date()
            for (index, result) in plan.results {
                results[index] = result
                records.receipts.append(
                    SyncReceipt(
                        userID: userID,
                        device: device,
                        mutationID: mutations[index].mutationID,
                        fingerprint: fingerprints[index] ?? "",
                        result: result.receiptJSON.serialized(),
                        createdAt: now
                    )
                )
                records.conflicts += result.conflicts
            }
            do {
                try await store.apply(plan.writes, records: records)
                return results.enumerated().map { index, result in
                    result ?? .rejected(mutations[index], EntityError(.internal, "the mutation was not decided"))
                }
            } catch {
                // Another writer changed an entity of the push (or pushed the same mutations) since it
                // was read: decide again on what is stored now.
                guard [.versionConflict, .duplicateID, .duplicateKey, .notFound].contains(error.code),
                    attempt < configuration.conflictRetries
                else { throw map(error) }
                attempt += 1
                await backOff(attempt: attempt)
                if error.code == .duplicateKey {
                    return try await syncPush(mutations, device: device, as: caller)
                }
            }
        }
    }

    /// The pending mutations cut into runs of one collection naming each entity once, in push
    /// order: each run is read and planned at once, and sees what the runs before it wrote.
    private static func runs(of pending: [Int], in mutations: [SyncMutation]) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        var ids: Set<String> = []
        for index in pending {
            let mutation = mutations[index]
            if let first = current.first,
                mutations[first].collection != mutation.collection || ids.contains(mutation.id)
            {
                runs.append(current)
                current = []
                ids = []
            }
            current.append(index)
            ids.insert(mutation.id)
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
