/// A read-only, declarative function: a test on one entity, or a filter over a collection.
///
/// ```json
/// "isCheap": {"parameters": {"max": {"type": "decimal", "required": true}}, "test": "le(price,$max)"},
/// "cheap": {"on": "collection", "parameters": {"max": {"type": "decimal"}}, "filter": "le(price,$max)"},
/// "countCheap": {"collection": "products", "filter": "le(price,$max)", "returns": "count", …}
/// ```
///
/// In RQL, an unquoted `$name` stands for the parameter `name`.
public struct FunctionSchema: Sendable, Hashable {
    /// What a function is bound to.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// One entity: ``FunctionSchema/test`` says whether it holds for the entity (a boolean).
        case resource
        /// The collection: ``FunctionSchema/filter`` selects its entities.
        case collection
    }

    /// What a collection function answers.
    public enum Returns: String, Sendable, Hashable, CaseIterable {
        /// The matching entities (a list query can narrow, order and page them further).
        case entities
        /// How many entities match.
        case count
    }

    public var scope: Scope
    /// Declared parameters by name, typed like fields.
    public var parameters: [String: FieldSchema]
    /// For a resource function: RQL the entity must match for the answer to be `true`.
    public var test: String?
    /// For a collection function: RQL selecting the entities it answers with.
    public var filter: String?
    /// For a collection function: the entities (default) or their count.
    public var returns: Returns
    /// For a top-level function (declared beside `collections`): the schema key of the collection it
    /// reads, as a collection function. `nil` for functions declared in a collection.
    public var collection: String?

    public init(
        scope: Scope = .resource,
        parameters: [String: FieldSchema] = [:],
        test: String? = nil,
        filter: String? = nil,
        returns: Returns = .entities,
        collection: String? = nil
    ) {
        self.scope = scope
        self.parameters = parameters
        self.test = test
        self.filter = filter
        self.returns = returns
        self.collection = collection
    }

    /// The RQL of the function: ``test`` for a resource function, ``filter`` for a collection one.
    public var rql: String? { scope == .resource ? test : filter }
}
