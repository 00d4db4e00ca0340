import EntityModel

/// A dot path into an entity's JSON document, e.g. `asset.tiers.customer.name`.
///
/// Paths address the entity's *document* (its values plus `id` and `_meta`), so `id` and
/// `_meta.version` can be filtered and ordered like any field.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The object keys from the root, never empty.
    public let components: [String]

    public init(_ components: [String]) {
        precondition(!components.isEmpty, "a field path has at least one component")
        self.components = components
    }

    /// Splits a dot path; `nil` when it has an empty component (`a..b`, `.a`, ``).
    public init?(dotted: String) {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.components = parts
    }

    public init(stringLiteral value: String) {
        self.init(value.split(separator: ".").map(String.init))
    }

    public var description: String { components.joined(separator: ".") }
}
