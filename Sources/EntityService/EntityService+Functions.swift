import EntityModel
import EntityQuery
import EntityStore

extension EntityService {
    /// Whether the resource function `name` holds for entity `id`: its `test` RQL, with the
    /// parameters bound, matches the entity. Fails with `notFound` when the entity does not exist or
    /// the caller cannot read it, and with `invalidRequest` for bad parameters.
    ///
    /// ```swift
    /// let cheap = try await service.testFunction("isCheap", on: "PRD-1", parameters: ["max": 10],
    ///                                            in: CollectionPath("products"), as: caller)
    /// ```
    public func testFunction(
        _ name: String,
        on id: String,
        parameters: [String: JSON] = [:],
        in collection: CollectionPath,
        as caller: Caller
    ) async throws(EntityError) -> Bool {
        let declaration = try collectionSchema(collection)
        guard let function = declaration.functions[name], function.scope == .resource else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no function '\(name)'")
        }
        let test = try bound(
            function,
            key: OperationKey(collection: collection.schemaKey, name: name, kind: .function),
            parameters: parameters,
            declaration: declaration
        )
        let entity = try await get(id, in: collection, as: caller)
        return Evaluator.matches(test, entity.document)
    }

    /// The `filter` of the collection function `name` with the parameters bound and its literals
    /// typed: a filter to compose with a client's query (`.and([filter, clientFilter])`) and give to
    /// ``list(_:in:as:)``, which keeps out what the caller cannot read. Fails with `notFound` for an
    /// unknown function and `invalidRequest` for bad parameters.
    ///
    /// ```swift
    /// let cheap = try service.functionFilter("cheap", parameters: ["max": 10], in: CollectionPath("products"))
    /// let page = try await service.list(Query(filter: .and([cheap, .compare("tags", .eq, .json("red"))])),
    ///                                   in: CollectionPath("products"), as: caller)
    /// ```
    public func functionFilter(_ name: String, parameters: [String: JSON] = [:], in collection: CollectionPath)
        throws(EntityError) -> Filter
    {
        let declaration = try collectionSchema(collection)
        guard let function = declaration.functions[name], function.scope == .collection else {
            throw EntityError(.notFound, "\(collection.schemaKey) has no collection function '\(name)'")
        }
        return try bound(
            function,
            key: OperationKey(collection: collection.schemaKey, name: name, kind: .function),
            parameters: parameters,
            declaration: declaration
        )
    }

    /// The collection a top-level function reads and its bound, typed `filter`, as
    /// ``functionFilter(_:parameters:in:)`` gives for collection functions.
    ///
    /// ```swift
    /// let (collection, filter) = try service.topLevelFunctionFilter("countCheap", parameters: ["max": 10])
    /// let total = try await service.list(Query(filter: filter, limit: 0), in: collection, as: caller).total
    /// ```
    public func topLevelFunctionFilter(_ name: String, parameters: [String: JSON] = [:]) throws(EntityError)
        -> (collection: CollectionPath, filter: Filter)
    {
        guard let function = schema.functions[name], let collection = function.collection.flatMap(schema.collectionPath)
        else {
            throw EntityError(.notFound, "there is no function '\(name)'")
        }
        let filter = try bound(
            function,
            key: OperationKey(collection: nil, name: name, kind: .function),
            parameters: parameters,
            declaration: try collectionSchema(collection)
        )
        return (collection, filter)
    }

    /// One page of what the collection function `name` answers: the entities matching its filter
    /// and `query` that the caller may read, with their total (for `"returns": "count"` functions,
    /// the total is the answer; ask with `limit: 0`).
    ///
    /// ```swift
    /// let page = try await service.runFunction("cheap", parameters: ["max": 10], query: Query(limit: 20),
    ///                                          in: CollectionPath("products"), as: caller)
    /// ```
    public func runFunction(
        _ name: String,
        parameters: [String: JSON] = [:],
        query: Query = Query(),
        in collection: CollectionPath,
        as caller: Caller
    ) async throws(EntityError) -> QueryPage {
        let filter = try functionFilter(name, parameters: parameters, in: collection)
        return try await list(query.narrowed(by: filter), in: collection, as: caller)
    }

    /// One page of what the top-level function `name` answers, as ``runFunction(_:parameters:query:in:as:)``.
    public func runTopLevelFunction(
        _ name: String,
        parameters: [String: JSON] = [:],
        query: Query = Query(),
        as caller: Caller
    ) async throws(EntityError) -> QueryPage {
        let (collection, filter) = try topLevelFunctionFilter(name, parameters: parameters)
        return try await list(query.narrowed(by: filter), in: collection, as: caller)
    }

    private func bound(
        _ function: FunctionSchema,
        key: OperationKey,
        parameters: [String: JSON],
        declaration: CollectionSchema
    ) throws(EntityError) -> Filter {
        let values = try OperationParameters.validate(parameters, declared: function.parameters, operation: key.name)
        return try boundFilter(key, parameters: values, declaration: declaration) ?? .and([])
    }
}

extension Query {
    /// The query with `filter` and-ed to its own.
    func narrowed(by filter: Filter) -> Query {
        var narrowed = self
        narrowed.filter = self.filter.map { .and([filter, $0]) } ?? filter
        return narrowed
    }
}
