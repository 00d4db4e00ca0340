import EntityModel

/// Builds an ``ODataModel`` from a ``Schema``, checking that OData names stay unique.
struct ODataModelBuilder {
    let schema: Schema
    var types: [String: ODataStructuredType] = [:]
    var entitySets: [String: CollectionPath] = [:]
    var operations: [ODataOperation] = []
    /// Which schema path produced each type name, to name both sides of a clash.
    private var typeOrigins: [String: String] = [:]
    /// Collection-valued navigations declared by `inverse` on a reference, added to the target type
    /// once every type exists.
    private var inverses: [(target: String, navigation: ODataNavigation, origin: String)] = []

    init(schema: Schema) {
        self.schema = schema
    }

    mutating func build() throws(SchemaError) {
        for (key, declaration) in schema.allCollections {
            let name = ODataNames.identifier(key)
            try claimType(name, origin: "collections \(key)")
            let nested = isNested(key)
            if !nested { entitySets[name] = collectionPath(forTopLevel: key) }
            types[name] = try entityType(name, key: key, declaration: declaration)
            operations += Self.operations(of: declaration, entityType: name)
        }
        try addInverseNavigations()
        operations += try topLevelOperations()
        try checkOperationNames()
    }

    /// CSDL lets only overloads of one kind share a name, and no operation may share a type's name.
    private func checkOperationNames() throws(SchemaError) {
        var kinds: [String: ODataOperation.Kind] = [:]
        for operation in operations {
            if types[operation.name] != nil {
                throw SchemaError(
                    path: "\(operation.kind.rawValue)s \(operation.name)",
                    reason: "\(operation.name) is also the OData name of a collection or complex type"
                )
            }
            if let other = kinds[operation.name], other != operation.kind {
                throw SchemaError(
                    path: "\(operation.kind.rawValue)s \(operation.name)",
                    reason: "\(operation.name) names both an action and a function; OData needs distinct names"
                )
            }
            kinds[operation.name] = operation.kind
        }
    }

    /// The type of an undeclared collection of the open schema.
    static func implicitType(named name: String) -> ODataStructuredType {
        ODataStructuredType(
            name: name,
            properties: [keyProperty] + metadataProperties(declared: [:]),
            isOpen: true,
            collection: name
        )
    }

    static let keyProperty = ODataProperty(name: "id", type: .primitive(.string), isNullable: false, path: "id")

    /// `created` and `updated`, unless the collection declares fields of those names.
    static func metadataProperties(declared fields: [String: FieldSchema]) -> [ODataProperty] {
        ["created", "updated"].filter { fields[$0] == nil }.map {
            ODataProperty(
                name: $0,
                type: .primitive(.dateTimeOffset),
                isNullable: false,
                isComputed: true,
                path: FieldPath([Entity.metaKey, $0])
            )
        }
    }

    private mutating func entityType(
        _ name: String,
        key: String,
        declaration: CollectionSchema
    ) throws(SchemaError) -> ODataStructuredType {
        var properties = [Self.keyProperty]
        var isOpen = !declaration.isStrict
        var names: Set<String> = ["id"]
        for (fieldName, field) in declaration.fields.sorted(by: { $0.key < $1.key }) where fieldName != "id" {
            let propertyName = ODataNames.identifier(fieldName)
            let path = "collections \(key) fields \(fieldName)"
            guard names.insert(propertyName).inserted else {
                throw SchemaError(path: path, reason: "its OData name \(propertyName) is taken by another field")
            }
            guard let type = try propertyType(of: field, owner: name, propertyName: propertyName, path: path) else {
                isOpen = true
                continue
            }
            properties.append(
                ODataProperty(
                    name: propertyName,
                    type: type,
                    isNullable: !field.isRequired,
                    path: FieldPath([fieldName])
                )
            )
        }
        for property in Self.metadataProperties(declared: declaration.fields) where names.insert(property.name).inserted
        {
            properties.append(property)
        }
        var navigations: [ODataNavigation] = []
        for (fieldName, field) in declaration.fields.sorted(by: { $0.key < $1.key }) {
            guard let reference = field.reference else { continue }
            let target = ODataNames.identifier(reference.collection)
            let propertyName = ODataNames.identifier(fieldName)
            if let navigationName = reference.navigation {
                let path = "collections \(key) fields \(fieldName) navigation"
                guard names.insert(navigationName).inserted else {
                    throw SchemaError(path: path, reason: "\(navigationName) is also the name of a field or navigation")
                }
                navigations.append(
                    ODataNavigation(
                        name: navigationName,
                        target: target,
                        isCollection: false,
                        partner: reference.inverse,
                        link: .reference(property: propertyName)
                    )
                )
            }
            if let inverse = reference.inverse {
                inverses.append(
                    (
                        target,
                        ODataNavigation(
                            name: inverse,
                            target: name,
                            isCollection: true,
                            partner: reference.navigation,
                            link: .inverse(property: propertyName)
                        ),
                        "collections \(key) fields \(fieldName) inverse"
                    )
                )
            }
        }
        for (childName, _) in declaration.collections.sorted(by: { $0.key < $1.key }) {
            let navigationName = ODataNames.identifier(childName)
            guard names.insert(navigationName).inserted else {
                throw SchemaError(
                    path: "collections \(key) collections \(childName)",
                    reason: "its OData name \(navigationName) is taken by a field"
                )
            }
            navigations.append(
                ODataNavigation(
                    name: navigationName,
                    target: ODataNames.identifier("\(key)/\(childName)"),
                    isCollection: true,
                    partner: nil,
                    link: .containment(collection: childName)
                )
            )
        }
        return ODataStructuredType(
            name: name,
            properties: properties,
            navigations: navigations,
            isOpen: isOpen,
            collection: key
        )
    }

    /// The type of a declared field; `nil` for fields that stay dynamic (untyped arrays).
    private mutating func propertyType(
        of field: FieldSchema,
        owner: String,
        propertyName: String,
        path: String
    ) throws(SchemaError) -> ODataType? {
        if let primitive = ODataPrimitive(field.type) { return .primitive(primitive) }
        switch field.type {
        case .array:
            guard let items = field.items,
                let element = try propertyType(
                    of: items,
                    owner: owner,
                    propertyName: propertyName,
                    path: "\(path) items"
                )
            else { return nil }
            return .collection(element)
        case .object:
            let name = "\(owner)_\(propertyName)"
            try claimType(name, origin: path)
            var properties: [ODataProperty] = []
            for (subName, subField) in field.fields.sorted(by: { $0.key < $1.key }) {
                let subProperty = ODataNames.identifier(subName)
                guard
                    let type = try propertyType(
                        of: subField,
                        owner: name,
                        propertyName: subProperty,
                        path: "\(path) fields \(subName)"
                    )
                else { continue }
                properties.append(
                    ODataProperty(
                        name: subProperty,
                        type: type,
                        isNullable: !subField.isRequired,
                        path: FieldPath([subName])
                    )
                )
            }
            types[name] = ODataStructuredType(
                name: name,
                properties: properties,
                isOpen: true,
                collection: nil
            )
            return .complex(name)
        default:
            return nil
        }
    }

    private mutating func claimType(_ name: String, origin: String) throws(SchemaError) {
        if let other = typeOrigins[name] {
            throw SchemaError(path: origin, reason: "its OData type name \(name) is also the name of \(other)")
        }
        typeOrigins[name] = origin
    }

    private func isNested(_ key: String) -> Bool {
        let components = key.split(separator: "/")
        let namespaced = components.count > 1 && schema.namespaces[String(components[0])] != nil
        return components.count > (namespaced ? 2 : 1)
    }

    private func collectionPath(forTopLevel key: String) -> CollectionPath {
        let components = key.split(separator: "/").map(String.init)
        if components.count == 2 { return CollectionPath(namespace: components[0], segments: [components[1]]) }
        return CollectionPath(key)
    }

    private mutating func addInverseNavigations() throws(SchemaError) {
        for (target, navigation, origin) in inverses {
            guard var type = types[target], type.isEntityType else {
                throw SchemaError(path: origin, reason: "the referenced collection has no OData entity type")
            }
            guard type.property(named: navigation.name) == nil, type.navigation(named: navigation.name) == nil else {
                throw SchemaError(path: origin, reason: "\(navigation.name) is also a field or navigation of \(target)")
            }
            type.navigations.append(navigation)
            types[target] = type
        }
    }

    /// The collection's actions and functions, bound to an entity or to the collection.
    private static func operations(of declaration: CollectionSchema, entityType: String) -> [ODataOperation] {
        var result: [ODataOperation] = []
        for (name, action) in declaration.actions.sorted(by: { $0.key < $1.key }) {
            let isResource = action.scope == .resource
            result.append(
                ODataOperation(
                    kind: .action,
                    name: name,
                    binding: isResource ? .entity(entityType) : .collection(entityType),
                    entityType: entityType,
                    parameters: parameters(action.parameters),
                    effect: isResource ? .updateEntity : .updateMatches
                )
            )
        }
        for (name, function) in declaration.functions.sorted(by: { $0.key < $1.key }) {
            let isResource = function.scope == .resource
            result.append(
                ODataOperation(
                    kind: .function,
                    name: name,
                    binding: isResource ? .entity(entityType) : .collection(entityType),
                    entityType: entityType,
                    parameters: parameters(function.parameters),
                    effect: isResource ? .test : function.returns == .count ? .countMatches : .matches
                )
            )
        }
        return result
    }

    /// The schema's top-level actions and functions: unbound, imported under their own names.
    private func topLevelOperations() throws(SchemaError) -> [ODataOperation] {
        var result: [ODataOperation] = []
        for (name, action) in schema.actions.sorted(by: { $0.key < $1.key }) {
            let entityType = ODataNames.identifier(action.collection ?? "")
            result.append(
                ODataOperation(
                    kind: .action,
                    name: name,
                    binding: .unbound,
                    entityType: entityType,
                    parameters: Self.parameters(action.parameters),
                    effect: .updateMatches
                )
            )
        }
        for (name, function) in schema.functions.sorted(by: { $0.key < $1.key }) {
            let entityType = ODataNames.identifier(function.collection ?? "")
            result.append(
                ODataOperation(
                    kind: .function,
                    name: name,
                    binding: .unbound,
                    entityType: entityType,
                    parameters: Self.parameters(function.parameters),
                    effect: function.returns == .count ? .countMatches : .matches
                )
            )
        }
        let names = result.map(\.name)
        for name in names where entitySets[name] != nil {
            throw SchemaError(path: "actions \(name)", reason: "\(name) is also the name of an entity set")
        }
        return result
    }

    private static func parameters(_ declared: [String: FieldSchema]) -> [ODataOperation.Parameter] {
        declared.sorted(by: { $0.key < $1.key }).map { name, field in
            let type: ODataType
            if let primitive = ODataPrimitive(field.type) {
                type = .primitive(primitive)
            } else if field.type == .array, let items = field.items, let element = ODataPrimitive(items.type) {
                type = .collection(.primitive(element))
            } else {
                type = .primitive(.string)
            }
            return ODataOperation.Parameter(name: name, type: type, isNullable: !field.isRequired)
        }
    }
}
