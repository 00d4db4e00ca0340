/// A request URL relative to the service root: `Products(1)/Category?$select=Name`, `$batch`,
/// `$metadata`, `$entity?$id=…`.
public struct ODataRelativeURI: Sendable, Hashable {
    public var resource: Resource
    /// The query options in the order written.
    public var options: [ODataQueryOption]

    /// Creates a relative URI.
    public init(resource: Resource, options: [ODataQueryOption] = []) {
        self.resource = resource
        self.options = options
    }

    /// What the path addresses.
    public enum Resource: Sendable, Hashable {
        /// An empty path: the service document.
        case serviceDocument
        case batch
        /// `$metadata`, with the context URL fragment (`#Customers`) if one was written.
        case metadata(fragment: String?)
        /// `$entity` (resolve `$id`), optionally with a type cast.
        case entity(cast: ODataQualifiedName?)
        /// A resource path.
        case path([ODataSegment])
    }
}
