extension ODataNameModel {
    /// The names of an entity data model: its sets, types, properties by shape, navigations,
    /// operations (bound ones as functions/actions, unbound ones as imports) and parameters, in
    /// the namespace ``ODataModel/namespace``.
    public init(_ model: ODataModel) {
        self.init()
        namespaceParts = [ODataModel.namespace]
        entitySetNames = Set(model.entitySetNames)
        for type in model.types.values {
            if type.isEntityType { entityTypeNames.insert(type.name) } else { complexTypeNames.insert(type.name) }
            for property in type.properties {
                switch property.type {
                case .primitive where property.name == "id" && type.isEntityType:
                    primitiveKeyProperties.insert(property.name)
                case .primitive: primitiveNonKeyProperties.insert(property.name)
                case .complex: complexProperties.insert(property.name)
                case .collection(.complex): complexColProperties.insert(property.name)
                case .collection: primitiveColProperties.insert(property.name)
                case .entity: entityNavigationProperties.insert(property.name)
                }
            }
            for navigation in type.navigations {
                if navigation.isCollection {
                    entityColNavigationProperties.insert(navigation.name)
                } else {
                    entityNavigationProperties.insert(navigation.name)
                }
            }
        }
        for operation in model.operations {
            parameterNames.formUnion(operation.parameters.map(\.name))
            let unbound = operation.binding == .unbound
            switch (operation.kind, operation.returnType) {
            case (.action, _):
                if unbound { actionImports.insert(operation.name) } else { actions.insert(operation.name) }
            case (.function, .collection(.entity)):
                if unbound {
                    entityColFunctionImports.insert(operation.name)
                } else {
                    entityColFunctions.insert(operation.name)
                }
            case (.function, .entity):
                if unbound {
                    entityFunctionImports.insert(operation.name)
                } else {
                    entityFunctions.insert(operation.name)
                }
            case (.function, _):
                if unbound {
                    primitiveFunctionImports.insert(operation.name)
                } else {
                    primitiveFunctions.insert(operation.name)
                }
            }
        }
    }
}
