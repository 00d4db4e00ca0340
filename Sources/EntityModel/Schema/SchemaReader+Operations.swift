import Foundation

extension SchemaReader {
    /// The actions of a collection: `{"endsale": {"when": …, "set": {…}}, "endall": {"on": "collection", …}}`.
    func actions() throws(SchemaError) -> [String: ActionSchema] {
        var actions: [String: ActionSchema] = [:]
        for (name, value) in try objectMembers("actions") {
            let reader = try SchemaReader(value, path: child("actions.\(name)"))
            try reader.allowOnly(["when", "set", "on", "parameters"])
            let scope = try reader.choice("on", of: ActionSchema.Scope.self, naming: "scope") ?? .resource
            actions[try validName(name, path: reader.path)] = try reader.action(scope: scope, collection: nil)
        }
        return actions
    }

    /// The top-level actions: `{"resetStock": {"collection": "products", "set": {"stock": 0}}}`.
    func topLevelActions() throws(SchemaError) -> [String: ActionSchema] {
        var actions: [String: ActionSchema] = [:]
        for (name, value) in try objectMembers("actions") {
            let reader = try SchemaReader(value, path: child("actions.\(name)"))
            try reader.allowOnly(["when", "set", "parameters", "collection"])
            let collection = try reader.operationCollection()
            actions[try validName(name, path: reader.path)] = try reader.action(
                scope: .collection,
                collection: collection
            )
        }
        return actions
    }

    /// The functions of a collection: `{"isCheap": {"test": …}, "cheap": {"on": "collection", "filter": …}}`.
    func functions() throws(SchemaError) -> [String: FunctionSchema] {
        var functions: [String: FunctionSchema] = [:]
        for (name, value) in try objectMembers("functions") {
            let reader = try SchemaReader(value, path: child("functions.\(name)"))
            try reader.allowOnly(["on", "parameters", "test", "filter", "returns"])
            let scope = try reader.choice("on", of: FunctionSchema.Scope.self, naming: "scope") ?? .resource
            functions[try validName(name, path: reader.path)] = try reader.function(scope: scope, collection: nil)
        }
        return functions
    }

    /// The top-level functions: `{"countCheap": {"collection": "products", "filter": …, "returns": "count"}}`.
    func topLevelFunctions() throws(SchemaError) -> [String: FunctionSchema] {
        var functions: [String: FunctionSchema] = [:]
        for (name, value) in try objectMembers("functions") {
            let reader = try SchemaReader(value, path: child("functions.\(name)"))
            try reader.allowOnly(["parameters", "filter", "returns", "collection"])
            let collection = try reader.operationCollection()
            functions[try validName(name, path: reader.path)] = try reader.function(
                scope: .collection,
                collection: collection
            )
        }
        return functions
    }

    private func operationCollection() throws(SchemaError) -> String {
        guard let collection = try string("collection"), !collection.isEmpty else {
            throw SchemaError(
                path: child("collection"),
                reason: "missing; a top-level operation names the collection it acts on (e.g. \"products\")"
            )
        }
        return collection
    }

    private func action(scope: ActionSchema.Scope, collection: String?) throws(SchemaError) -> ActionSchema {
        let parameters = try parameters()
        let set = Dictionary(uniqueKeysWithValues: try objectMembers("set"))
        for (key, value) in set { try checkParameterMarkers(in: value, path: child("set.\(key)")) }
        let action = ActionSchema(
            when: try rql("when"),
            set: set,
            scope: scope,
            parameters: parameters,
            collection: collection
        )
        for (name, path) in action.referencedParameters where parameters[name] == nil {
            throw SchemaError(
                path: child("set.\(path).\(ActionSchema.parameterKey)"),
                reason: "no parameter \(name) is declared; declare it under \"parameters\""
            )
        }
        return action
    }

    private func function(scope: FunctionSchema.Scope, collection: String?) throws(SchemaError) -> FunctionSchema {
        let (needed, refused) = scope == .resource ? ("test", "filter") : ("filter", "test")
        if members[refused] != nil {
            throw SchemaError(
                path: child(refused),
                reason: "a \(scope.rawValue) function declares \"\(needed)\", not \"\(refused)\""
            )
        }
        guard let rql = try rql(needed) else {
            throw SchemaError(path: child(needed), reason: "missing; a \(scope.rawValue) function declares RQL here")
        }
        if scope == .resource, members["returns"] != nil {
            throw SchemaError(
                path: child("returns"),
                reason: "a resource function returns a boolean; \"returns\" is for collection functions"
            )
        }
        return FunctionSchema(
            scope: scope,
            parameters: try parameters(),
            test: scope == .resource ? rql : nil,
            filter: scope == .collection ? rql : nil,
            returns: try choice("returns", of: FunctionSchema.Returns.self, naming: "result kind") ?? .entities,
            collection: collection
        )
    }

    /// A member holding RQL: a non-empty string (it is parsed when the service starts).
    private func rql(_ key: String) throws(SchemaError) -> String? {
        guard let text = try string(key) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SchemaError(path: child(key), reason: "expected RQL such as eq(status,published), found \"\"")
        }
        return text
    }

    /// Fails for an object that holds `$param` but is not exactly `{"$param": "name"}`.
    private func checkParameterMarkers(in value: JSON, path: String) throws(SchemaError) {
        switch value {
        case .object(let members):
            if let marker = members[ActionSchema.parameterKey], members.count != 1 || marker.stringValue == nil {
                throw SchemaError(
                    path: path,
                    reason:
                        "a parameter is written {\"\(ActionSchema.parameterKey)\": \"name\"}, with nothing beside it"
                )
            }
            for (key, member) in members { try checkParameterMarkers(in: member, path: "\(path).\(key)") }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try checkParameterMarkers(in: element, path: "\(path)[\(index)]")
            }
        default: break
        }
    }
}
