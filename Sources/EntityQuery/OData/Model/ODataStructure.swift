import EntityModel

/// A structural property of an entity or complex type.
public struct ODataProperty: Sendable, Hashable {
    /// The OData name (an identifier: `-` in field names becomes `_`).
    public var name: String
    public var type: ODataType
    public var isNullable: Bool
    /// Set by the server, never by clients (`created`, `updated`): `Core.Computed`.
    public var isComputed: Bool
    /// Where the value lives in the entity's document (`["price"]`, `["_meta", "created"]`), or in
    /// the object of a complex value.
    public var path: FieldPath

    public init(name: String, type: ODataType, isNullable: Bool = true, isComputed: Bool = false, path: FieldPath) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.isComputed = isComputed
        self.path = path
    }
}

/// A navigation property: a link to entities of another (or the same) collection.
public struct ODataNavigation: Sendable, Hashable {
    /// How the link is stored.
    public enum Link: Sendable, Hashable {
        /// This entity's reference field (by property name) holds the target's id.
        case reference(property: String)
        /// The target's reference field (by property name) holds this entity's id.
        case inverse(property: String)
        /// The targets are the entities of a collection nested in this entity.
        case containment(collection: String)
    }

    public var name: String
    /// The target entity type (also its entity set's name for top-level collections).
    public var target: String
    public var isCollection: Bool
    /// The navigation of the target type that leads back here.
    public var partner: String?
    public var link: Link

    public init(name: String, target: String, isCollection: Bool, partner: String?, link: Link) {
        self.name = name
        self.target = target
        self.isCollection = isCollection
        self.partner = partner
        self.link = link
    }
}

/// An entity type (one per collection) or a complex type (one per declared object field).
public struct ODataStructuredType: Sendable, Hashable {
    public var name: String
    /// Declared properties in document order: `id` first for entity types.
    public var properties: [ODataProperty]
    public var navigations: [ODataNavigation]
    /// Whether undeclared properties are allowed (the collection is not strict).
    public var isOpen: Bool
    /// The collection an entity type stands for; `nil` for complex types.
    public var collection: String?

    public init(
        name: String,
        properties: [ODataProperty],
        navigations: [ODataNavigation] = [],
        isOpen: Bool,
        collection: String?
    ) {
        self.name = name
        self.properties = properties
        self.navigations = navigations
        self.isOpen = isOpen
        self.collection = collection
    }

    public var isEntityType: Bool { collection != nil }

    /// The declared property named `name`.
    public func property(named name: String) -> ODataProperty? {
        properties.first { $0.name == name }
    }

    /// The navigation property named `name`.
    public func navigation(named name: String) -> ODataNavigation? {
        navigations.first { $0.name == name }
    }
}

/// A bound or unbound action or function, from the schema's `actions` and `functions`.
public struct ODataOperation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case action, function
    }

    /// What the operation is bound to.
    public enum Binding: Sendable, Hashable {
        /// One entity of the type: `products('P1')/EntityHub.reprice`.
        case entity(String)
        /// The entity set of the type: `products/EntityHub.cheap(max=3)`.
        case collection(String)
        /// Nothing: an action or function import at the service root.
        case unbound
    }

    /// What calling it does, so the adapter knows which service call to make.
    public enum Effect: Sendable, Hashable {
        /// A resource action: returns the entity.
        case updateEntity
        /// A collection (or top-level) action: returns how many entities it updated.
        case updateMatches
        /// A resource function `test`: returns whether the entity passes.
        case test
        /// A collection function `filter`: returns the matching entities (composable).
        case matches
        /// A collection function `filter` with `"returns": "count"`.
        case countMatches
    }

    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var type: ODataType
        public var isNullable: Bool

        public init(name: String, type: ODataType, isNullable: Bool) {
            self.name = name
            self.type = type
            self.isNullable = isNullable
        }
    }

    public var kind: Kind
    public var name: String
    public var binding: Binding
    /// The entity type (and collection) the operation works on, bound or not.
    public var entityType: String
    /// Parameters without the binding parameter, in name order.
    public var parameters: [Parameter]
    public var effect: Effect

    public init(
        kind: Kind,
        name: String,
        binding: Binding,
        entityType: String,
        parameters: [Parameter],
        effect: Effect
    ) {
        self.kind = kind
        self.name = name
        self.binding = binding
        self.entityType = entityType
        self.parameters = parameters
        self.effect = effect
    }

    /// The type of the result.
    public var returnType: ODataType {
        switch effect {
        case .updateEntity: return .entity(entityType)
        case .updateMatches, .countMatches: return .primitive(.int64)
        case .test: return .primitive(.boolean)
        case .matches: return .collection(.entity(entityType))
        }
    }

    /// Functions returning entities may be followed by more path segments and query options.
    public var isComposable: Bool { effect == .matches }
}

extension ODataNavigation {
    /// Whether the targets are a nested collection of this entity.
    public var isContainment: Bool {
        if case .containment = link { return true }
        return false
    }
}
