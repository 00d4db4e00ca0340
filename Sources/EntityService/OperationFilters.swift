import EntityModel
import EntityQuery

/// Identifies an action or function of the schema: `collection` is the schema key of the collection
/// that declares it, `nil` for a top-level one.
struct OperationKey: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case action, function
    }

    let collection: String?
    let name: String
    let kind: Kind
}

/// The RQL of every action (`when`) and function (`test`, `filter`) of a schema, parsed once when
/// the service starts. Each is checked there: it parses, every `$name` is a declared parameter, and
/// its literals fit the declared field types.
struct OperationFilters: Sendable {
    private var filters: [OperationKey: Filter] = [:]

    init(schema: Schema) throws(SchemaError) {
        for (key, collection) in schema.allCollections {
            let path = schema.documentPath(ofKey: key)
            for (name, action) in collection.actions {
                try add(
                    action.when,
                    for: OperationKey(collection: key, name: name, kind: .action),
                    parameters: action.parameters,
                    in: collection,
                    path: "\(path).actions.\(name).when"
                )
            }
            for (name, function) in collection.functions {
                try add(
                    function.rql,
                    for: OperationKey(collection: key, name: name, kind: .function),
                    parameters: function.parameters,
                    in: collection,
                    path: "\(path).functions.\(name).\(function.scope == .resource ? "test" : "filter")"
                )
            }
        }
        for (name, action) in schema.actions {
            try add(
                action.when,
                for: OperationKey(collection: nil, name: name, kind: .action),
                parameters: action.parameters,
                in: action.collection.flatMap(schema.collectionPath(forKey:)).flatMap(schema.collection(at:)),
                path: "actions.\(name).when"
            )
        }
        for (name, function) in schema.functions {
            try add(
                function.filter,
                for: OperationKey(collection: nil, name: name, kind: .function),
                parameters: function.parameters,
                in: function.collection.flatMap(schema.collectionPath(forKey:)).flatMap(schema.collection(at:)),
                path: "functions.\(name).filter"
            )
        }
    }

    /// The parsed, untyped RQL of the operation, if it has any.
    subscript(key: OperationKey) -> Filter? { filters[key] }

    private mutating func add(
        _ rql: String?,
        for key: OperationKey,
        parameters: [String: FieldSchema],
        in collection: CollectionSchema?,
        path: String
    ) throws(SchemaError) {
        guard let rql else { return }
        let filter: Filter
        do {
            filter = try RQLParser().parseFilter(rql)
        } catch {
            throw SchemaError(path: path, reason: "\(error)")
        }
        for name in filter.parameterNames where parameters[name] == nil {
            throw SchemaError(
                path: path,
                reason: "$\(name) names no declared parameter; declare it under \"parameters\""
            )
        }
        if let collection {
            let preparation = QueryPreparation(collection: collection, configuration: .init())
            do {
                _ = try filter.binding([:]).mappingPaths(preparation.resolve).typed(by: preparation.fieldType)
            } catch {
                throw SchemaError(path: path, reason: error.description)
            }
        }
        filters[key] = filter
    }
}

extension EntityService {
    /// The operation's RQL with the parameters bound, its paths resolved and its literals typed by the
    /// declaration of the collection it runs on: ready for a query or the ``Evaluator``.
    func boundFilter(_ key: OperationKey, parameters: [String: JSON], declaration: CollectionSchema)
        throws(EntityError) -> Filter?
    {
        guard let filter = operationFilters[key] else { return nil }
        let preparation = QueryPreparation(collection: declaration, configuration: configuration)
        do {
            return try filter.binding(parameters).mappingPaths(preparation.resolve).typed(by: preparation.fieldType)
        } catch {
            // The literals were checked when the service started; a bound parameter is already typed.
            throw EntityError(.invalidRequest, error.description)
        }
    }
}
