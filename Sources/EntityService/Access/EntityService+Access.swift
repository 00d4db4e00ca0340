import EntityModel
import EntityQuery
import EntityStore

extension EntityService {
    /// The rights model of `collection` for `caller`.
    func policy(for caller: Caller, in declaration: CollectionSchema) -> AccessPolicy {
        AccessPolicy(caller: caller, access: declaration.access)
    }

    /// The caller's right on each of `entities` (absent: no right), reading grants in one store call.
    func rights(
        of caller: Caller,
        on entities: some Collection<Entity>,
        in collection: CollectionPath,
        policy: AccessPolicy
    ) async throws(EntityError) -> [String: AccessRight] {
        var rights: [String: AccessRight] = [:]
        var undecided: [Entity] = []
        for entity in entities {
            let (base, grantsMatter) = policy.baseRight(on: entity)
            if grantsMatter { undecided.append(entity) } else if let base { rights[entity.id] = base }
        }
        guard let user = caller.userID, !undecided.isEmpty else { return rights }
        let granted: [String: AccessRight]
        do {
            granted = try await store.grantedRights(of: user, on: undecided.map(\.id), in: collection)
        } catch {
            throw map(error)
        }
        for entity in undecided {
            if let right = policy.right(on: entity, granted: granted[entity.id]) { rights[entity.id] = right }
        }
        return rights
    }

    /// The caller's right on one entity.
    func right(of caller: Caller, on entity: Entity, policy: AccessPolicy) async throws(EntityError) -> AccessRight? {
        // The common case (admin, creator, anonymous, a collection default) needs no grant, and no
        // collections built for it: this runs on every read by id.
        let (base, grantsMatter) = policy.baseRight(on: entity)
        guard grantsMatter else { return base }
        return try await rights(of: caller, on: CollectionOfOne(entity), in: entity.collection, policy: policy)[
            entity.id
        ]
    }

    /// The entity `id` when it exists and the caller may read it; `nil` otherwise (the two are not
    /// told apart: an entity the caller cannot read does not exist for them).
    func readableEntity(_ id: String, in collection: CollectionPath, as caller: Caller) async throws(EntityError)
        -> Entity?
    {
        let declaration = try collectionSchema(collection)
        guard let entity = try await fetch(id, in: collection) else { return nil }
        let policy = policy(for: caller, in: declaration)
        return try await right(of: caller, on: entity, policy: policy) == nil ? nil : entity
    }
}
