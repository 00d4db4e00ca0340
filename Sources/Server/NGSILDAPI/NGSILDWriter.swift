import EntityModel
import EntityService
import Foundation
import NGSILD

/// One change to one NGSI-LD entity: computes the entity's stored values after the change from
/// those before (`nil`: the entity does not exist, or is not an NGSI-LD entity the caller may read).
struct NGSILDChange: Sendable {
    /// What a change leaves: the values after it (`nil`: deleted), and for Append and Update a
    /// report of what was not changed.
    struct Result: Sendable {
        var values: [String: JSON]?
        /// Written, but reported as a failure of this entity (noOverwrite left attributes as they were).
        var problem: NGSILDProblem?
        /// The UpdateResult of an Append or Update, when something was not updated.
        var report: JSON?
    }

    let entityID: String
    let apply: @Sendable (_ current: [String: JSON]?, _ now: Date) throws(NGSILDProblem) -> Result
}

/// What became of one change.
enum NGSILDChangeOutcome: Sendable {
    case succeeded(created: Bool, report: JSON?)
    case failed(NGSILDProblem)
}

/// Applies NGSI-LD changes through ``EntityService``: reads the entities once, computes every change
/// in array order on what the earlier ones left (so duplicate ids behave as separate requests in a
/// row, 5.5.11), writes each entity once with its expected version, all in one transaction, and
/// computes again the entities another request changed meanwhile.
struct NGSILDWriter: Sendable {
    let service: EntityService
    let collection: CollectionPath
    let caller: Caller
    /// How often entities changed concurrently are read and computed again.
    var retries = 5

    func apply(_ changes: [NGSILDChange]) async throws(EntityError) -> [NGSILDChangeOutcome] {
        var outcomes = [NGSILDChangeOutcome?](repeating: nil, count: changes.count)
        var pending = Array(changes.indices)
        var attempt = 0
        while !pending.isEmpty {
            let ids = Array(Set(pending.map { changes[$0].entityID }))
            let stored = try await service.get(ids, in: collection, as: caller)
            var states: [String: EntityState] = [:]
            var order: [String] = []
            let now = Date()
            for index in pending {
                let change = changes[index]
                if states[change.entityID] == nil {
                    states[change.entityID] = EntityState(stored: stored[change.entityID])
                    order.append(change.entityID)
                }
                do throws(NGSILDProblem) {
                    let result = try change.apply(states[change.entityID]!.values, now)
                    states[change.entityID]!.values = result.values
                    states[change.entityID]!.changes.append(index)
                    if let problem = result.problem {
                        outcomes[index] = .failed(problem)
                    } else {
                        outcomes[index] = .succeeded(created: false, report: result.report)
                    }
                } catch {
                    outcomes[index] = .failed(error)
                }
            }
            var operations: [BatchOperation] = []
            var written: [String] = []
            for id in order {
                guard let state = states[id], let operation = state.operation(id: id) else { continue }
                operations.append(operation)
                written.append(id)
            }
            let results =
                operations.isEmpty ? [] : try await service.performEach(operations, in: collection, as: caller)
            var retry: [Int] = []
            for (position, id) in written.enumerated() {
                guard let state = states[id] else { continue }
                switch results[position] {
                case .success:
                    for index in state.changes {
                        if case .succeeded(_, let report) = outcomes[index] {
                            outcomes[index] = .succeeded(created: state.base == nil, report: report)
                        }
                    }
                case .failure(let error):
                    // A create meeting an id taken meanwhile is retried; one taken by a document that is
                    // no NGSI-LD entity (written through REST without `type`) is not.
                    let raced =
                        error.code == .versionMismatch || error.code == .conflict
                        || (error.code == .duplicateID && state.base == nil && !state.hidesDocument)
                    if raced, attempt < retries {
                        retry.append(contentsOf: state.changes)
                    } else {
                        for index in state.changes where outcomes[index].isSuccess {
                            outcomes[index] = .failed(NGSILDProblem(error, instance: id))
                        }
                    }
                }
            }
            pending = retry.sorted()
            attempt += 1
        }
        return outcomes.map { $0 ?? .failed(NGSILDProblem(.internalError, "a change was not applied")) }
    }
}

/// One entity while the changes of a request are computed: as stored, and as the changes so far leave it.
private struct EntityState {
    /// The stored entity, when it exists as an NGSI-LD entity the caller may read.
    let base: Entity?
    var values: [String: JSON]?
    /// The changes (by index) applied to it.
    var changes: [Int] = []
    /// Whether a document the caller may read holds the id but is no NGSI-LD entity.
    let hidesDocument: Bool

    init(stored: Entity?) {
        // A document without `type` (written through REST) is no NGSI-LD entity.
        let isNGSILD = stored.map { NGSILDStoredEntity.isEntity($0.values) } ?? false
        base = isNGSILD ? stored : nil
        values = base?.values
        hidesDocument = stored != nil && !isNGSILD
    }

    /// The write that takes the stored entity to ``values``; `nil` when there is nothing to write.
    func operation(id: String) -> BatchOperation? {
        switch (base, values) {
        case (nil, nil): return nil
        case (nil, let values?):
            var document = values
            document["id"] = .string(id)
            return .create(.object(document))
        case (let base?, nil): return .delete(id: id, expectedVersion: base.version)
        case (let base?, let values?):
            guard values != base.values else { return nil }
            return .replace(id: id, document: .object(values), expectedVersion: base.version)
        }
    }
}

extension Optional where Wrapped == NGSILDChangeOutcome {
    fileprivate var isSuccess: Bool {
        if case .succeeded? = self { return true }
        return false
    }
}
