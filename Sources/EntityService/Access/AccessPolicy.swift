import EntityModel

/// The rights model in one place: what a caller may do with an entity of a collection, given the
/// right (if any) granted to them on it.
///
/// Admins and the entity's creator hold ``AccessRight/creator``; everyone else holds the stronger of
/// their grant and the collection's defaults (read, and write: ``AccessRight/delete``).
struct AccessPolicy: Sendable {
    let caller: Caller
    let access: CollectionAccess

    /// The caller's right on `entity` before any grant, and whether a grant could change it.
    func baseRight(on entity: Entity) -> (right: AccessRight?, grantsMatter: Bool) {
        if caller.isAdmin { return (.creator, false) }
        guard let user = caller.userID else { return (defaultRight, false) }
        if entity.createdBy == user { return (.creator, false) }
        // No grant is stronger than D, the strongest default.
        return (defaultRight, defaultRight != .delete)
    }

    /// The caller's right on `entity`, given their grant on it.
    func right(on entity: Entity, granted: AccessRight?) -> AccessRight? {
        let (base, grantsMatter) = baseRight(on: entity)
        guard grantsMatter, let granted else { return base }
        return max(base ?? granted, granted)
    }

    /// The right every entity of the collection gives the caller: the stronger of the write default
    /// (D for everyone, or for every signed-in caller) and the read default (r for everyone, or for
    /// every signed-in caller).
    var defaultRight: AccessRight? {
        switch access.write {
        case .anyone: return .delete
        case .authenticated where caller.isAuthenticated: return .delete
        case .authenticated, .creator: break
        }
        switch access.read {
        case .publicRead: return .read
        case .authenticatedRead: return caller.isAuthenticated ? .read : nil
        case .private: return nil
        }
    }

    /// How a list must be narrowed for the caller: not at all, to what one user may read, or to nothing.
    var listScope: ListScope {
        if caller.isAdmin || defaultRight != nil { return .everything }
        guard let user = caller.userID else { return .nothing }
        return .readableBy(user)
    }

    enum ListScope: Equatable {
        case everything
        case readableBy(String)
        case nothing
    }

    /// Fails unless the caller may create entities in the collection.
    func requireCreate(in collection: CollectionPath) throws(EntityError) {
        if caller.isAdmin { return }
        switch access.create {
        case .anyone: return
        case .authenticated:
            guard caller.isAuthenticated else {
                throw EntityError(.unauthenticated, "sign in to create entities in \(collection.schemaKey)")
            }
        case .admin:
            guard caller.isAuthenticated else {
                throw EntityError(.unauthenticated, "sign in as an admin to create entities in \(collection.schemaKey)")
            }
            throw EntityError(.forbidden, "only admins may create entities in \(collection.schemaKey)")
        }
    }

    /// Fails unless `right` allows `needed` on `entity`: 404 when the caller cannot even read it (it
    /// stays invisible), 403 when they can.
    func require(_ needed: AccessRight, _ right: AccessRight?, on entity: Entity) throws(EntityError) {
        guard let right else {
            throw EntityError(.notFound, "\(entity.collection.schemaKey) '\(entity.id)' does not exist")
        }
        guard right.includes(needed) else {
            throw EntityError(
                .forbidden,
                "\(Self.verb(for: needed)) \(entity.collection.schemaKey) '\(entity.id)' needs the right \(needed.rawValue); you hold \(right.rawValue)"
            )
        }
    }

    private static func verb(for right: AccessRight) -> String {
        switch right {
        case .creator: "sharing"
        case .delete: "deleting"
        case .update: "changing"
        case .read: "reading"
        }
    }
}
