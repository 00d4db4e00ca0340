import Foundation

/// A declarative action: parameters, a precondition in RQL and the fields it sets.
///
/// ```json
/// "reprice": {"parameters": {"price": {"type": "decimal", "required": true}},
///             "when": "ne(status,discontinued)", "set": {"price": {"$param": "price"}}}
/// ```
public struct ActionSchema: Sendable, Hashable {
    /// What an action applies to.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// One entity: `products/PRD-1/endsale`.
        case resource
        /// Every entity of the collection that matches `when` (and the request's filter): `products/endall`.
        case collection
    }

    /// RQL that the entity must match for the action to run, e.g. `eq(status,published)`; an unquoted
    /// `$name` stands for the parameter `name`.
    public var when: String?
    /// Fields set by the action; a value `{"$param": "name"}` (at any depth) is the parameter `name`.
    public var set: [String: JSON]
    public var scope: Scope
    /// Declared parameters by name, typed like fields.
    public var parameters: [String: FieldSchema]
    /// For a top-level action (declared beside `collections`): the schema key of the collection it
    /// acts on, as a collection action. `nil` for actions declared in a collection.
    public var collection: String?

    public init(
        when: String? = nil,
        set: [String: JSON] = [:],
        scope: Scope = .resource,
        parameters: [String: FieldSchema] = [:],
        collection: String? = nil
    ) {
        self.when = when
        self.set = set
        self.scope = scope
        self.parameters = parameters
        self.collection = collection
    }

    /// The member that marks a parameter in ``set``: `{"$param": "price"}`.
    public static let parameterKey = "$param"

    /// The fields the action sets, with every `{"$param": name}` replaced by the parameter's value
    /// (`null` when the parameter was not given).
    public func values(binding parameters: [String: JSON]) -> [String: JSON] {
        set.mapValues { Self.bind($0, parameters) }
    }

    /// The parameter names the `set` values refer to, each with the JSON path where it appears.
    public var referencedParameters: [(name: String, path: String)] {
        var found: [(String, String)] = []
        for (key, value) in set.sorted(by: { $0.key < $1.key }) { Self.collect(value, path: key, into: &found) }
        return found
    }

    private static func bind(_ value: JSON, _ parameters: [String: JSON]) -> JSON {
        switch value {
        case .object(let members):
            if members.count == 1, let name = members[parameterKey]?.stringValue { return parameters[name] ?? .null }
            return .object(members.mapValues { bind($0, parameters) })
        case .array(let elements): return .array(elements.map { bind($0, parameters) })
        default: return value
        }
    }

    private static func collect(_ value: JSON, path: String, into found: inout [(String, String)]) {
        switch value {
        case .object(let members):
            if members.count == 1, let name = members[parameterKey]?.stringValue {
                found.append((name, path))
                return
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                collect(member, path: "\(path).\(key)", into: &found)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { collect(element, path: "\(path)[\(index)]", into: &found) }
        default: break
        }
    }
}
