import EntityModel

/// A dot path into an entity's JSON document, e.g. `asset.tiers.customer.name`.
///
/// Paths address the entity's *document* (its values plus `id` and `_meta`), so `id` and
/// `_meta.version` can be filtered and ordered like any field. Inside ``Filter/anyElement(_:_:where:)``
/// they address the element instead, and ``root`` (no component) is the element itself.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The object keys from the root; empty only for ``root``.
    public let components: [String]

    /// A path of object keys; pass at least one key, or use ``root``.
    public init(_ components: [String]) {
        self.components = components
    }

    /// The value a filter is evaluated on, with no key: the element itself inside
    /// ``Filter/anyElement(_:_:where:)`` (`.compare(.root, .gt, …)` compares a number of an array), the
    /// entity document at the top level (an object, so it equals nothing and is never null).
    ///
    /// Parsers never produce it, and a sort or projection on it sorts or selects nothing.
    public static let root = FieldPath([])

    /// Whether this is ``root``.
    public var isRoot: Bool { components.isEmpty }

    /// This path followed by `other`'s keys.
    public func appending(_ other: FieldPath) -> FieldPath {
        FieldPath(components + other.components)
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

    /// The dot path; `$` for ``root``.
    public var description: String { components.isEmpty ? "$" : components.joined(separator: ".") }
}
