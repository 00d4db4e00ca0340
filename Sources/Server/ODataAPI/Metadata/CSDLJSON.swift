import EntityModel
import EntityQuery

/// Writes an ``ODataModel`` as CSDL JSON 4.01 (`$metadata?$format=json`).
enum CSDLJSON {
    static func document(_ model: ODataModel, requiringETags: Set<String>) -> JSON {
        var schema: [String: JSON] = [:]
        for type in model.types.values {
            schema[type.name] = structuredType(type)
        }
        var overloads: [String: [JSON]] = [:]
        for operation in model.operations.sorted(by: { "\($0.binding)" < "\($1.binding)" }) {
            overloads[operation.name, default: []].append(self.operation(operation))
        }
        for (name, list) in overloads { schema[name] = .array(list) }
        schema["Container"] = container(model, requiringETags: requiringETags)
        return .object([
            "$Version": "4.01",
            "$EntityContainer": .string("\(ODataModel.namespace).Container"),
            "$Reference": .object([
                "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json": .object([
                    "$Include": .array([.object(["$Namespace": "Org.OData.Core.V1", "$Alias": "Core"])])
                ])
            ]),
            ODataModel.namespace: .object(schema),
        ])
    }

    private static func structuredType(_ type: ODataStructuredType) -> JSON {
        var members: [String: JSON] = ["$Kind": .string(type.isEntityType ? "EntityType" : "ComplexType")]
        if type.isOpen { members["$OpenType"] = true }
        if type.isEntityType { members["$Key"] = ["id"] }
        for property in type.properties {
            var fields = typeMembers(property.type)
            if property.isNullable { fields["$Nullable"] = true }
            if property.isComputed { fields["@Org.OData.Core.V1.Computed"] = true }
            members[property.name] = .object(fields)
        }
        for navigation in type.navigations {
            var fields: [String: JSON] = [
                "$Kind": "NavigationProperty",
                "$Type": .string("\(ODataModel.namespace).\(navigation.target)"),
            ]
            if navigation.isCollection { fields["$Collection"] = true }
            if let partner = navigation.partner { fields["$Partner"] = .string(partner) }
            switch navigation.link {
            case .containment: fields["$ContainsTarget"] = true
            case .reference(let property): fields["$ReferentialConstraint"] = .object([property: "id"])
            case .inverse: break
            }
            members[navigation.name] = .object(fields)
        }
        return .object(members)
    }

    /// `$Type` (omitted for `Edm.String`), `$Collection` and `$Scale` of a type.
    private static func typeMembers(_ type: ODataType) -> [String: JSON] {
        var fields: [String: JSON] = [:]
        let element = type.elementType
        if element != .primitive(.string) { fields["$Type"] = .string(element.description) }
        if type.isCollection { fields["$Collection"] = true }
        if element == .primitive(.decimal) { fields["$Scale"] = "variable" }
        return fields
    }

    private static func operation(_ operation: ODataOperation) -> JSON {
        var members: [String: JSON] = ["$Kind": .string(operation.kind == .action ? "Action" : "Function")]
        var parameters: [JSON] = []
        switch operation.binding {
        case .entity(let type):
            members["$IsBound"] = true
            parameters.append(["$Name": "bindingParameter", "$Type": .string("\(ODataModel.namespace).\(type)")])
        case .collection(let type):
            members["$IsBound"] = true
            parameters.append([
                "$Name": "bindingParameter", "$Type": .string("\(ODataModel.namespace).\(type)"), "$Collection": true,
            ])
        case .unbound:
            break
        }
        if operation.isComposable { members["$IsComposable"] = true }
        if operation.effect == .matches, operation.binding != .unbound {
            members["$EntitySetPath"] = "bindingParameter"
        }
        for parameter in operation.parameters {
            var fields = typeMembers(parameter.type)
            fields["$Name"] = .string(parameter.name)
            if parameter.isNullable { fields["$Nullable"] = true }
            parameters.append(.object(fields))
        }
        if !parameters.isEmpty { members["$Parameter"] = .array(parameters) }
        members["$ReturnType"] = .object(typeMembers(operation.returnType))
        return .object(members)
    }

    private static func container(_ model: ODataModel, requiringETags: Set<String>) -> JSON {
        var members: [String: JSON] = ["$Kind": "EntityContainer"]
        for name in model.entitySetNames {
            var set: [String: JSON] = [
                "$Collection": true, "$Type": .string("\(ODataModel.namespace).\(name)"),
            ]
            var bindings: [String: JSON] = [:]
            for navigation in model.type(named: name)?.navigations ?? [] where !navigation.isContainment {
                bindings[navigation.name] = .string(navigation.target)
            }
            if !bindings.isEmpty { set["$NavigationPropertyBinding"] = .object(bindings) }
            if requiringETags.contains(name) { set["@Core.OptimisticConcurrency"] = [] }
            members[name] = .object(set)
        }
        for operation in model.operations where operation.binding == .unbound {
            let qualified = JSON.string("\(ODataModel.namespace).\(operation.name)")
            if operation.kind == .action {
                members[operation.name] = .object(["$Action": qualified])
            } else {
                var fields: [String: JSON] = ["$Function": qualified, "$IncludeInServiceDocument": true]
                if operation.effect == .matches { fields["$EntitySet"] = .string(operation.entityType) }
                members[operation.name] = .object(fields)
            }
        }
        return .object(members)
    }
}
