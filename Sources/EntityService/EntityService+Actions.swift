import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityService {
    /// Runs the resource action `name` on entity `id`: checks its parameters and its `when`
    /// precondition, then sets its fields (`{"$param": name}` values take the parameters' values).
    /// Returns the updated entity.
    ///
    /// Fails with `invalidRequest` for a missing, unknown or mistyped parameter, and with
    /// `actionConditionFailed` (naming the precondition) when the entity does not match.
    ///
    /// ```swift
    /// let product = try await service.runAction("reprice", on: "PRD-1", parameters: ["price": 9.5],
    ///                                           in: CollectionPath("products"), as: caller)
    /// ```
    public func runAction(
        _ name: String,
        on id: String,
        parameters: [String: JSON] = [:],
        expectedVersion: Int64? = nil,
        in collection: CollectionPath,
        as caller: Caller
    ) async throws(EntityError) -> Entity {
        var attempt = 0
        while true {
            let update = try await actionUpdate(
                name,
                on: id,
                parameters: parameters,
                expectedVersion: expectedVersion,
                in: collection,
                as: caller
            )
            do throws(EntityError) {
                let results = try await perform([update], in: collection, as: caller, itemized: false)
                guard let entity = results.first ?? nil else {
                    throw EntityError(.internal, "an action answered without its entity")
                }
                return entity
            } catch
                where error.code == .versionMismatch && expectedVersion == nil
                && attempt < configuration.conflictRetries
            {
                attempt += 1
                await backOff(attempt: attempt)
            }
        }
    }

    /// The update that the resource action `name` makes of entity `id` (as it is stored, or as the
    /// `staged` writes of a changeset left it): parameters checked, precondition evaluated, fields
    /// bound, the entity's current version expected.
    func actionUpdate(
        _ name: String,
        on id: String,
        parameters: [String: JSON],
        expectedVersion: Int64?,
        in collection: CollectionPath,
        as caller: Caller,
        staged: StagedEntities = .init()
    ) async throws(EntityError) -> BatchOperation {
        let declaration = try collectionSchema(collection)
        guard let action = declaration.actions[name], action.scope == .resource else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no action '\(name)'")
        }
        let bound = try OperationParameters.validate(parameters, declared: action.parameters, operation: name)
        let precondition = try boundFilter(
            OperationKey(collection: collection.schemaKey, name: name, kind: .action),
            parameters: bound,
            declaration: declaration
        )
        let planner = WritePlanner(
            service: self,
            collection: collection,
            declaration: declaration,
            caller: caller
        )
        let current = try await planner.currentEntity(id, expectedVersion: expectedVersion, staged: staged)
        if let precondition, !Evaluator.matches(precondition, current.document) {
            throw EntityError(
                .actionConditionFailed,
                "action '\(name)' cannot run on \(collection.schemaKey) '\(id)': it requires \(action.when ?? "")"
            )
        }
        return .update(id: id, fields: .object(action.values(binding: bound)), expectedVersion: current.version)
    }

    /// Runs the collection action `name`: sets its fields on every entity that the caller may read
    /// and that matches both its `when` precondition and `filter`. Returns how many entities were
    /// updated. Parameters are checked and bound as for ``runAction(_:on:parameters:expectedVersion:in:as:)``.
    ///
    /// Entities are updated in batches of `batchSize`, walking the collection in id order.
    ///
    /// ```swift
    /// let updated = try await service.runCollectionAction("discontinue", filter: .compare("price", .eq, .json(0)),
    ///                                                     in: CollectionPath("products"), as: caller)
    /// ```
    public func runCollectionAction(
        _ name: String,
        parameters: [String: JSON] = [:],
        filter: Filter?,
        in collection: CollectionPath,
        as caller: Caller,
        batchSize: Int = 500
    ) async throws(EntityError) -> Int {
        let declaration = try collectionSchema(collection)
        guard let action = declaration.actions[name], action.scope == .collection else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no collection action '\(name)'")
        }
        return try await runSetAction(
            action,
            key: OperationKey(collection: collection.schemaKey, name: name, kind: .action),
            parameters: parameters,
            filter: filter,
            in: collection,
            as: caller,
            batchSize: batchSize
        )
    }

    /// Runs the top-level action `name` on the collection it names, as a collection action. Returns
    /// how many entities were updated.
    ///
    /// ```swift
    /// let updated = try await service.runTopLevelAction("resetStock", filter: nil, as: caller)
    /// ```
    public func runTopLevelAction(
        _ name: String,
        parameters: [String: JSON] = [:],
        filter: Filter?,
        as caller: Caller,
        batchSize: Int = 500
    ) async throws(EntityError) -> Int {
        guard let action = schema.actions[name], let collection = action.collection.flatMap(schema.collectionPath)
        else {
            throw EntityError(.notFound, "there is no action '\(name)'")
        }
        return try await runSetAction(
            action,
            key: OperationKey(collection: nil, name: name, kind: .action),
            parameters: parameters,
            filter: filter,
            in: collection,
            as: caller,
            batchSize: batchSize
        )
    }

    private func runSetAction(
        _ action: ActionSchema,
        key: OperationKey,
        parameters: [String: JSON],
        filter: Filter?,
        in collection: CollectionPath,
        as caller: Caller,
        batchSize: Int
    ) async throws(EntityError) -> Int {
        let declaration = try collectionSchema(collection)
        let bound = try OperationParameters.validate(parameters, declared: action.parameters, operation: key.name)
        var conditions: [Filter] = []
        if let precondition = try boundFilter(key, parameters: bound, declaration: declaration) {
            conditions.append(precondition)
        }
        if let filter { conditions.append(filter) }
        let values = JSON.object(action.values(binding: bound))
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
                BatchOperation.update(id: $0.id, fields: values, expectedVersion: $0.version)
            }
            _ = try await perform(operations, in: collection, as: caller)
            updated += entities.count
            lastID = last.id
        }
    }
}
