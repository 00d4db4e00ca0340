/// Which identifiers of a service are entity sets, properties, navigations, operations, types…:
/// what the OData URL parser needs to know to resolve the grammar's ambiguities.
///
/// The OData ABNF parses `Categories(1)/Products/Model.AllOrders()` differently depending on
/// whether `Products` is a collection-valued navigation and `AllOrders` a function returning
/// entities; `Model.Available` is rejected because `Available` is a function and needs `()`. The
/// model is *flat*: it lists names by kind, not per type, so the parser decides the shape of a URL
/// and ``ODataTranslator`` (with the full EDM) checks that each name belongs to the type at hand.
///
/// Each property is one kind of the `Constraints` block of the OASIS ABNF test cases. Fill in what
/// the service has; every set defaults to empty:
///
/// ```swift
/// var names = ODataNameModel()
/// names.namespaceParts = ["EntityHub"]
/// names.entitySetNames = ["products", "categories"]
/// names.entityTypeNames = ["products", "categories"]
/// names.primitiveKeyProperties = ["id"]
/// names.primitiveNonKeyProperties = ["name", "price", "categoryId"]
/// names.entityNavigationProperties = ["category"]
/// names.entityColNavigationProperties = ["products"]
/// ```
public struct ODataNameModel: Sendable, Hashable {
    // Containers and types.

    /// Entity sets (`Products`).
    public var entitySetNames: Set<String> = []
    /// Singletons (`MainSupplier`).
    public var singletonEntities: Set<String> = []
    /// Entity types, unqualified (`Customer`, cast as `Model.Customer` or `Customer`).
    public var entityTypeNames: Set<String> = []
    /// Complex types, unqualified.
    public var complexTypeNames: Set<String> = []
    /// Enumeration types, unqualified.
    public var enumerationTypeNames: Set<String> = []
    /// Type definitions, unqualified.
    public var typeDefinitionNames: Set<String> = []
    /// Members of enumeration types (`Yellow`).
    public var enumerationMembers: Set<String> = []
    /// The parts of namespaces and aliases (`Model`, `Org`, `OData`…): a qualified name's prefix
    /// must consist of these. Empty: any namespace.
    public var namespaceParts: Set<String> = []

    // Structural properties.

    /// Primitive key properties (`ID`).
    public var primitiveKeyProperties: Set<String> = []
    /// Primitive properties that are not keys (`Name`).
    public var primitiveNonKeyProperties: Set<String> = []
    /// Collections of primitives (`EmailAddresses`).
    public var primitiveColProperties: Set<String> = []
    /// Complex properties (`Address`).
    public var complexProperties: Set<String> = []
    /// Collections of complex values (`Addresses`).
    public var complexColProperties: Set<String> = []
    /// Stream properties (`Thumbnail`).
    public var streamProperties: Set<String> = []

    // Navigation properties.

    /// Single-valued navigation properties (`Category`).
    public var entityNavigationProperties: Set<String> = []
    /// Collection-valued navigation properties (`Products`).
    public var entityColNavigationProperties: Set<String> = []

    // Operations (bound, named without their namespace) and operation imports.

    /// Actions.
    public var actions: Set<String> = []
    /// Action imports (unbound actions at the service root).
    public var actionImports: Set<String> = []
    /// Functions returning one entity.
    public var entityFunctions: Set<String> = []
    /// Functions returning a collection of entities.
    public var entityColFunctions: Set<String> = []
    /// Functions returning one complex value.
    public var complexFunctions: Set<String> = []
    /// Functions returning a collection of complex values.
    public var complexColFunctions: Set<String> = []
    /// Functions returning one primitive value.
    public var primitiveFunctions: Set<String> = []
    /// Functions returning a collection of primitive values.
    public var primitiveColFunctions: Set<String> = []
    /// Function imports returning one entity.
    public var entityFunctionImports: Set<String> = []
    /// Function imports returning a collection of entities.
    public var entityColFunctionImports: Set<String> = []
    /// Function imports returning one complex value.
    public var complexFunctionImports: Set<String> = []
    /// Function imports returning a collection of complex values.
    public var complexColFunctionImports: Set<String> = []
    /// Function imports returning one primitive value.
    public var primitiveFunctionImports: Set<String> = []
    /// Function imports returning a collection of primitive values.
    public var primitiveColFunctionImports: Set<String> = []
    /// Parameter names of functions and actions (`categoryId`); also the names a function's
    /// parameters may be given as query options (`EmployeesByManager?ManagerID=3`).
    public var parameterNames: Set<String> = []

    // Annotations, query-option names and key segments.

    /// Primitive-valued annotation terms usable in queries (`@Measures.Currency`).
    public var primitiveAnnotationsInQuery: Set<String> = []
    /// Entity-valued annotation terms usable in queries (`@Namespace.EntityTerm`).
    public var entityAnnotationsInQuery: Set<String> = []
    /// Entity-valued annotation terms of context URL fragments.
    public var entityAnnotationsInFragment: Set<String> = []
    /// Custom query option names; `nil`: any name that is not a system option.
    public var customNames: Set<String>? = nil
    /// The key values that may be written as path segments (`Customers/1`); `nil`: any one segment
    /// that is not a name of the model.
    public var keyPathLiterals: Set<String>? = nil
    /// Names of `$compute`d properties and custom aggregates known in advance (for `$apply`).
    public var customAggregates: Set<String> = []
    /// Aliases introduced by `$apply` expressions known in advance.
    public var expressionAliases: Set<String> = []

    /// An empty model: every set empty, any custom option name and key segment.
    public init() {}
}

extension ODataNameModel {
    /// The shape of the structural or navigation property `name`, if the model has one of that name.
    func propertyShape(_ name: String) -> ODataShape? {
        if entityColNavigationProperties.contains(name) { return .entityCollection }
        if entityNavigationProperties.contains(name) { return .entity }
        if complexColProperties.contains(name) { return .complexCollection }
        if complexProperties.contains(name) { return .complex }
        if primitiveColProperties.contains(name) { return .primitiveCollection }
        if primitiveKeyProperties.contains(name) || primitiveNonKeyProperties.contains(name) { return .primitive }
        if streamProperties.contains(name) { return .stream }
        return nil
    }

    /// What the (bound) function `name` returns, if the model has such a function.
    func functionShape(_ name: String) -> ODataShape? {
        if entityColFunctions.contains(name) { return .entityCollection }
        if entityFunctions.contains(name) { return .entity }
        if complexColFunctions.contains(name) { return .complexCollection }
        if complexFunctions.contains(name) { return .complex }
        if primitiveColFunctions.contains(name) { return .primitiveCollection }
        if primitiveFunctions.contains(name) { return .primitive }
        return nil
    }

    /// What the function import `name` returns, if the model has such an import.
    func functionImportShape(_ name: String) -> ODataShape? {
        if entityColFunctionImports.contains(name) { return .entityCollection }
        if entityFunctionImports.contains(name) { return .entity }
        if complexColFunctionImports.contains(name) { return .complexCollection }
        if complexFunctionImports.contains(name) { return .complex }
        if primitiveColFunctionImports.contains(name) { return .primitiveCollection }
        if primitiveFunctionImports.contains(name) { return .primitive }
        return nil
    }

    /// Whether `name` is a property, navigation, operation, type, set or singleton of the model.
    func isDeclared(_ name: String) -> Bool {
        propertyShape(name) != nil || functionShape(name) != nil || actions.contains(name)
            || entitySetNames.contains(name) || singletonEntities.contains(name)
            || entityTypeNames.contains(name) || complexTypeNames.contains(name)
    }

    /// Whether every dot-separated part of `namespace` is a known namespace part (always, when the
    /// model lists none).
    func isNamespace(_ parts: [String]) -> Bool {
        !parts.isEmpty && (namespaceParts.isEmpty || parts.allSatisfy(namespaceParts.contains))
    }
}
