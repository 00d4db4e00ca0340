import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityService {
    /// Runs the resource action `name` on entity `id`: checks its `when` precondition and sets its fields.
    ///
    /// Fails with `actionConditionFailed` (naming the precondition) when the entity does not match.
    public func runAction(
        _ name: String,
        on id: String,
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller
    ) async throws(EntityError) -> Entity {
        let declaration = try collectionSchema(collection)
        guard let action = declaration.actions[name], action.scope == .resource else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no action '\(name)'")
        }
        let precondition = try typedPrecondition(name, of: collection, declaration: declaration)
        var attempt = 0
        while true {
            let planner = WritePlanner(service: self, collection: collection, declaration: declaration, caller: caller)
            let current = try await planner.currentEntity(id, expectedVersion: expectedVersion)
            if let precondition, !Evaluator.matches(precondition, current.document) {
                throw EntityError(
                    .actionConditionFailed,
                    "action '\(name)' cannot run on \(collection.schemaKey) '\(id)': it requires \(action.when ?? "")"
                )
            }
            do {
                return try await update(
                    id,
                    setting: .object(action.set),
                    expectedVersion: current.version,
                    in: collection,
                    as: caller
                )
            } catch
                where error.code == .versionMismatch && expectedVersion == nil
                && attempt < configuration.conflictRetries
            {
                attempt += 1
                await backOff(attempt: attempt)
            }
        }
    }

    /// Runs the collection action `name`: sets its fields on every entity that matches both its `when`
    /// precondition and `filter`. Returns how many entities were updated.
    ///
    /// Entities are updated in batches of `batchSize`, walking the collection in id order.
    public func runCollectionAction(
        _ name: String,
        filter: Filter?,
        in collection: CollectionPath,
        as caller: Caller,
        batchSize: Int = 500
    ) async throws(EntityError) -> Int {
        let declaration = try collectionSchema(collection)
        guard let action = declaration.actions[name], action.scope == .collection else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no collection action '\(name)'")
        }
        var conditions: [Filter] = []
        if let precondition = preconditions[ActionKey(collection: collection.schemaKey, action: name)] {
            conditions.append(precondition)
        }
        if let filter { conditions.append(filter) }
        var updated = 0
        var lastID: String?
        while true {
            var page = conditions
            if let lastID { page.append(.compare(FieldPath(["id"]), .gt, .json(.string(lastID)))) }
            let pageSize = min(batchSize, configuration.maximumPageSize)
            let query = Query(filter: .and(page), sort: [SortKey(FieldPath(["id"]))], limit: pageSize)
            let entities = try await list(query, in: collection, as: caller).entities
            guard let last = entities.last else { return updated }
            let operations = entities.map {
                BatchOperation.update(id: $0.id, fields: .object(action.set), expectedVersion: $0.version)
            }
            _ = try await perform(operations, in: collection, as: caller)
            updated += entities.count
            lastID = last.id
        }
    }

    private func typedPrecondition(
        _ name: String,
        of collection: CollectionPath,
        declaration: CollectionSchema
    ) throws(EntityError) -> Filter? {
        guard let precondition = preconditions[ActionKey(collection: collection.schemaKey, action: name)] else {
            return nil
        }
        let preparation = QueryPreparation(collection: declaration, configuration: configuration)
        do {
            return try precondition.mappingPaths(preparation.resolve).typed(by: preparation.fieldType)
        } catch {
            throw EntityError(.internal, "action '\(name)' has a precondition that does not fit the schema: \(error)")
        }
    }
}
