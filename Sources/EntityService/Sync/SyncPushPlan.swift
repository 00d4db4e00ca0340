import EntityModel
import EntityStore
import Foundation

/// The writes and results of one push, planned run by run (see
/// ``EntityService/syncPush(_:device:as:)``) against what is stored plus what earlier runs staged.
struct SyncPushPlan {
    let service: EntityService
    let caller: Caller
    let userID: String
    let device: String
    private(set) var writes: [EntityWrite] = []
    /// The result of each planned mutation, by its index in the push.
    private(set) var results: [(index: Int, result: SyncPushResult)] = []
    private var staged = StagedEntities()
    /// Whole milliseconds, as stores and answers keep times.
    private let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)

    init(service: EntityService, caller: Caller, userID: String, device: String) {
        self.service = service
        self.caller = caller
        self.userID = userID
        self.device = device
    }

    /// Plans a run: mutations of one collection, each naming another entity.
    mutating func add(_ run: [(index: Int, mutation: SyncMutation)]) async throws(EntityError) {
        guard let first = run.first?.mutation else { return }
        let collection = CollectionPath(first.collection)
        let declaration: CollectionSchema
        do {
            declaration = try service.collectionSchema(collection)
        } catch {
            for item in run { results.append((item.index, .rejected(item.mutation, error))) }
            return
        }
        let planner = WritePlanner(service: service, collection: collection, declaration: declaration, caller: caller)
        let current = try await currentEntities(run.map(\.mutation.id), in: collection)
        let rights = try await service.rights(
            of: caller,
            on: current.values,
            in: collection,
            policy: planner.policy
        )

        // Each mutation merged, its operation (if it writes) planned below with the others.
        var merges: [(index: Int, mutation: SyncMutation, merge: SyncMerge, entity: Entity?)] = []
        var operations: [BatchOperation] = []
        var operationOf: [Int: Int] = [:]
        for (index, mutation) in run {
            let entity = current[mutation.id]
            if let problem = Self.shapeProblem(of: mutation) ?? access(mutation, entity, rights[mutation.id]) {
                results.append((index, .rejected(mutation, problem)))
                continue
            }
            let merge = SyncMerge(mutation, current: entity)
            if let operation = Self.operation(for: merge.write, id: mutation.id, entity: entity) {
                operationOf[merges.count] = operations.count
                operations.append(operation)
            }
            merges.append((index, mutation, merge, entity))
        }
        let planned = try await planner.planEach(operations, checkingNewIDs: true, staged: &staged, read: current)
        for (position, item) in merges.enumerated() {
            var after = item.entity
            if let operation = operationOf[position] {
                switch planned[operation] {
                case .success(let write):
                    writes += write.writes
                    after = write.result
                case .failure(let error):
                    results.append((item.index, .rejected(item.mutation, error)))
                    continue
                }
            }
            let conflicts = item.merge.conflicts.map { conflict in
                SyncConflict(
                    id: "CNF-" + service.ids.makeSortableID(),
                    collection: collection,
                    entityID: item.mutation.id,
                    key: conflict.key,
                    reason: conflict.reason,
                    base: conflict.base,
                    server: conflict.server,
                    client: conflict.client,
                    userID: userID,
                    device: device,
                    createdAt: now
                )
            }
            let adopts = item.merge.status == .merged || item.merge.status == .conflict
            results.append(
                (
                    item.index,
                    SyncPushResult(
                        mutationID: item.mutation.mutationID,
                        status: item.merge.status,
                        collection: item.mutation.collection,
                        id: item.mutation.id,
                        version: after?.version,
                        values: adopts ? after?.values : nil,
                        conflicts: conflicts
                    )
                )
            )
        }
    }

    /// The entities the run names as earlier runs left them, else as stored (read at once).
    private func currentEntities(_ ids: [String], in collection: CollectionPath) async throws(EntityError)
        -> [String: Entity]
    {
        var current: [String: Entity] = [:]
        var unread: [String] = []
        for id in ids {
            switch staged[id, in: collection] {
            case .written(let entity): current[id] = entity
            case .deleted: continue
            case nil: unread.append(id)
            }
        }
        if !unread.isEmpty {
            let stored = try await service.storeCall { () async throws(StoreError) in
                try await service.store.get(unread, in: collection)
            }
            current.merge(stored) { staged, _ in staged }
        }
        return current
    }

    /// What is wrong with the mutation itself, whatever is stored.
    private static func shapeProblem(of mutation: SyncMutation) -> EntityError? {
        if mutation.mutationID.isEmpty || mutation.mutationID.utf8.count > 200 {
            return EntityError(.validationFailed, "mid: expected an id of 1 to 200 bytes")
        }
        if mutation.id.isEmpty { return EntityError(.validationFailed, "id: required for every mutation") }
        switch mutation.operation {
        case .create:
            if !mutation.unset.isEmpty { return EntityError(.validationFailed, "unset: a create sets values only") }
        case .update, .delete:
            if mutation.baseVersion == nil {
                return EntityError(
                    .validationFailed,
                    "base_version: required for \(mutation.operation.rawValue); send the version the edit started from"
                )
            }
        }
        if let both = mutation.unset.first(where: { mutation.set[$0] != nil }) {
            return EntityError(.validationFailed, "'\(both)' is both set and unset")
        }
        return nil
    }

    /// Whether the caller may make the mutation on `entity` (holding `right`): a hidden entity is
    /// not found (or, for a create, an existing id), a weaker right forbidden. Creates are checked by
    /// the planner.
    private func access(_ mutation: SyncMutation, _ entity: Entity?, _ right: AccessRight?) -> EntityError? {
        guard let entity else { return nil }
        let where_ = "\(mutation.collection) '\(mutation.id)'"
        guard let right else {
            return mutation.operation == .create
                ? EntityError(.duplicateID, "\(where_) already exists")
                : service.notFound(entity.id, in: entity.collection)
        }
        let needed: AccessRight = mutation.operation == .delete ? .delete : .update
        guard right.includes(needed) else {
            return EntityError(
                .forbidden,
                "you may not \(mutation.operation == .delete ? "delete" : "update") \(where_)"
            )
        }
        return nil
    }

    /// The batch operation that writes a merge's result.
    private static func operation(for write: SyncMerge.Write, id: String, entity: Entity?) -> BatchOperation? {
        switch write {
        case .none:
            return nil
        case .create(let values):
            var document = values
            document["id"] = .string(id)
            return .create(.object(document))
        case .replace(let values):
            return .replace(id: id, document: .object(values), expectedVersion: entity?.version)
        case .delete:
            return .delete(id: id, expectedVersion: entity?.version)
        }
    }
}
