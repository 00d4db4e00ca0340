import EntityModel
import EntityQuery

/// Entities a resource path addresses as a collection: an entity set, a collection-valued
/// navigation (`categories('C1')/products`) or a nested collection.
struct ODataEntityCollection: Sendable {
    var path: CollectionPath
    var type: ODataStructuredType
    /// The entity set name used in canonical entity URLs (`products('P1')`); for nested collections
    /// the canonical URL goes through the parent (`devops_services('S1')/environments`).
    var canonicalPrefix: String
    /// For a navigation: only the entities related to the source (their reference field holds its id).
    var constraint: Filter?
    /// For a navigation: the reference field (stored name) a new member gets, and the source's id.
    var membership: (field: String, id: String)?

    /// The canonical URL of member `id`, relative to the service root.
    func entityPath(_ id: String) -> String {
        "\(canonicalPrefix)(\(ODataKeyPath.literal(id)))"
    }
}

/// One entity: its collection and id.
struct ODataEntityAddress: Sendable {
    var collection: ODataEntityCollection
    var id: String

    var path: String { collection.entityPath(id) }
}

/// What a request URL addresses, resolved against the model (and, for single-valued navigations,
/// the store).
enum ODataTarget: Sendable {
    case serviceDocument
    case metadata
    case batch
    case collection(ODataEntityCollection)
    case entity(ODataEntityAddress)
    /// A single-valued navigation whose reference is null (or whose target the caller cannot read).
    case missingEntity(String)
    /// `/$count` of a collection.
    case count(ODataEntityCollection)
    /// `/Prop` (`raw`: `/Prop/$value`).
    case property(ODataEntityAddress, ODataProperty, raw: Bool)
    /// `…/Nav/$ref` of an entity's navigation; `member` for `…/Nav('id')/$ref` or `?$id=`.
    case references(ODataEntityAddress, ODataNavigation, member: String?)
    /// An action or function, bound to an entity or collection or unbound.
    case operation(ODataOperation, ODataOperationBinding, parameters: [String: ODataExpression])
}

/// What an operation is called on.
enum ODataOperationBinding: Sendable {
    case entity(ODataEntityAddress)
    case collection(ODataEntityCollection)
    case unbound(ODataEntityCollection)
}
