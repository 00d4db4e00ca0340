/// Where a collection lives: its namespace (if any), its name, and for a nested collection the chain
/// of parent collections and ids.
///
/// `products`, `devops/services`, `devops/services/SRVC-1/environments` are its ``rawValue``s;
/// the ``schemaKey`` drops the parent ids (`devops/services/environments`) and names the collection's
/// declaration in the ``Schema``.
public struct CollectionPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path segments, e.g. `["devops", "services", "SRVC-1", "environments"]`.
    public let segments: [String]
    /// How many leading segments name the namespace (0 or 1).
    public let namespaceDepth: Int

    public init(namespace: String? = nil, segments: [String]) {
        self.segments = (namespace.map { [$0] } ?? []) + segments
        self.namespaceDepth = namespace == nil ? 0 : 1
    }

    /// A top-level collection outside any namespace.
    public init(_ name: String) {
        self.init(segments: [name])
    }

    /// The path joined by `/`; the key under which the store keeps the collection.
    public var rawValue: String { segments.joined(separator: "/") }

    /// The collection's name: the last segment.
    public var name: String { segments.last ?? "" }

    public var namespace: String? { namespaceDepth == 1 ? segments.first : nil }

    /// The declaration key: namespace and collection names without parent ids.
    public var schemaKey: String {
        var names: [String] = []
        if let namespace { names.append(namespace) }
        let rest = segments.dropFirst(namespaceDepth)
        for (offset, segment) in rest.enumerated() where offset % 2 == 0 { names.append(segment) }
        return names.joined(separator: "/")
    }

    /// For a nested collection, the parent collection and the parent entity's id.
    public var parent: (collection: CollectionPath, id: String)? {
        let rest = Array(segments.dropFirst(namespaceDepth))
        guard rest.count >= 3 else { return nil }
        return (
            CollectionPath(namespace: namespace, segments: Array(rest.dropLast(2))),
            rest[rest.count - 2]
        )
    }

    /// The path of a collection nested in entity `id` of this collection.
    public func nested(_ name: String, in id: String) -> CollectionPath {
        CollectionPath(namespace: namespace, segments: Array(segments.dropFirst(namespaceDepth)) + [id, name])
    }

    public var description: String { rawValue }

    public static func < (lhs: CollectionPath, rhs: CollectionPath) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension CollectionPath {
    /// An unambiguous text form for storage: `ns:coll/ID/nested` (the namespace ends with `:`).
    public var storageKey: String {
        let rest = segments.dropFirst(namespaceDepth).joined(separator: "/")
        return namespace.map { "\($0):\(rest)" } ?? rest
    }

    /// Rebuilds a path from its ``storageKey``.
    public init(storageKey: String) {
        if let colon = storageKey.firstIndex(of: ":") {
            let namespace = String(storageKey[..<colon])
            let rest = storageKey[storageKey.index(after: colon)...].split(separator: "/").map(String.init)
            self.init(namespace: namespace, segments: rest)
        } else {
            self.init(segments: storageKey.split(separator: "/").map(String.init))
        }
    }
}
