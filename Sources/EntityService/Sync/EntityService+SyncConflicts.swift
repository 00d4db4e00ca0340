import EntityModel
import EntityStore

/// How a conflict is resolved.
public enum SyncResolution: Sendable, Hashable {
    /// Keep what the server holds; nothing is written.
    case keepServer
    /// Write this value: for a key conflict the key's value; for a deleted entity its values (an
    /// object: the entity is created again); for a changed entity its values, or `null` to delete it.
    case value(JSON)
}

extension EntityService {
    /// Page size of the conflict list when none is asked for, and the largest one served.
    public static let conflictPageSize = (default: 100, maximum: 1000)

    /// Open conflicts that `caller` may resolve, in id order after `after`: those on entities they may
    /// update, and those they pushed about an entity that is gone. Admins see every one.
    public func syncConflicts(after: String?, limit: Int?, as caller: Caller) async throws(EntityError)
        -> (conflicts: [SyncConflict], next: String?)
    {
        let limit = limit ?? Self.conflictPageSize.default
        guard (1...Self.conflictPageSize.maximum).contains(limit) else {
            throw EntityError(.invalidRequest, "limit: expected 1 to \(Self.conflictPageSize.maximum), found \(limit)")
        }
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in to see sync conflicts") }
        var found: [SyncConflict] = []
        var cursor = after
        // The store's pages are read until the caller's page is full: conflicts are few and short-lived.
        while found.count < limit {
            let page = try await storeCall { () async throws(StoreError) in
                try await store.syncConflicts(after: cursor, limit: limit)
            }
            for conflict in page where try await mayResolve(conflict, as: caller) != nil {
                found.append(conflict)
                if found.count == limit { break }
            }
            guard page.count == limit, let last = page.last else { return (found, nil) }
            cursor = last.id
        }
        return (found, found.last?.id)
    }

    /// Resolves conflict `id` as `resolution` says, in one transaction with the write it makes;
    /// returns the entity as it is afterwards (`nil` when it does not exist).
    ///
    /// - Throws: ``EntityError/Code/notFound`` for a conflict the caller may not resolve (or that is
    ///   gone); ``EntityError/Code/invalidRequest`` for a value that does not fit the conflict; the
    ///   errors of the write (validation, rights, a concurrent change as `conflict`).
    public func resolveSyncConflict(_ id: String, _ resolution: SyncResolution, as caller: Caller)
        async throws(EntityError) -> Entity?
    {
        let conflict = try await storeCall { () async throws(StoreError) in try await store.syncConflict(id) }
        guard let conflict, let standing = try await mayResolve(conflict, as: caller) else {
            throw EntityError(.notFound, "sync conflict '\(id)' does not exist")
        }
        let entity = standing.entity
        let records = WriteRecords(resolvedConflicts: [id])
        guard case .value(let value) = resolution,
            let operation = try Self.operation(resolving: conflict, with: value, current: entity)
        else {
            _ = try await storeCall { () async throws(StoreError) in try await store.apply([], records: records) }
            return entity
        }
        let declaration = try collectionSchema(conflict.collection)
        let planner = WritePlanner(
            service: self,
            collection: conflict.collection,
            declaration: declaration,
            caller: caller
        )
        var staged = StagedEntities()
        let planned = try await planner.planEach([operation], checkingNewIDs: true, staged: &staged)[0].get()
        do {
            try await store.apply(planned.writes, records: records)
        } catch {
            if error.code == .versionConflict || error.code == .duplicateID {
                throw EntityError(.conflict, "the entity changed while the conflict was resolved; read it and retry")
            }
            throw map(error)
        }
        return planned.result
    }

    /// The write that resolves `conflict` with `value`; `nil` when nothing is to be written.
    private static func operation(resolving conflict: SyncConflict, with value: JSON, current: Entity?)
        throws(EntityError) -> BatchOperation?
    {
        if let key = conflict.key {
            guard let current else {
                throw EntityError(.conflict, "\(conflict.entityID) was deleted; resolve with {\"keep\": \"server\"}")
            }
            var values = current.values
            values[key] = value
            return .replace(id: current.id, document: .object(values), expectedVersion: current.version)
        }
        switch (value, current) {
        case (.null, nil):
            return nil
        case (.null, let current?):
            return .delete(id: current.id, expectedVersion: current.version)
        case (.object(var values), nil):
            values["id"] = .string(conflict.entityID)
            return .create(.object(values))
        case (.object(let values), let current?):
            return .replace(id: current.id, document: .object(values), expectedVersion: current.version)
        default:
            throw EntityError(.invalidRequest, "value: expected the entity's values (an object) or null")
        }
    }

    /// Whether `caller` may see and resolve `conflict`: `nil` when not, else the entity as stored.
    private func mayResolve(_ conflict: SyncConflict, as caller: Caller) async throws(EntityError)
        -> ConflictStanding?
    {
        guard let declaration = try? collectionSchema(conflict.collection) else { return nil }
        guard let entity = try await fetch(conflict.entityID, in: conflict.collection) else {
            return caller.isAdmin || conflict.userID == caller.userID ? ConflictStanding(entity: nil) : nil
        }
        let right = try await right(of: caller, on: entity, policy: policy(for: caller, in: declaration))
        return right?.includes(.update) == true ? ConflictStanding(entity: entity) : nil
    }
}

/// A conflict the caller may resolve, with its entity as stored (`nil` when gone).
private struct ConflictStanding {
    let entity: Entity?
}
