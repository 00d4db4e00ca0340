import EntityModel
import Foundation

/// What a REST path under `/api/v1` names, resolved with the schema.
///
/// The Connect wire protocol joins namespaces, collections, ids and action names with `/`, so the
/// schema decides what each segment is: `devops/services/SRVC-1/environments` is a nested collection
/// because `devops` is a namespace and `environments` is declared under `services`. Action and
/// function names take precedence over ids (`products/export` runs the collection action `export`
/// if one is declared). Top-level actions and functions are one segment (`/api/v1/countCheap`).
enum RESTPath: Sendable, Equatable {
    case collection(CollectionPath)
    case collectionAction(CollectionPath, name: String)
    case entity(CollectionPath, id: String)
    case entityAction(CollectionPath, id: String, name: String)
    /// `products/cheap`: a collection function (GET).
    case collectionFunction(CollectionPath, name: String)
    /// `products/ID/isCheap`: a resource function (GET).
    case entityFunction(CollectionPath, id: String, name: String)
    /// `resetStock`: a top-level action (POST).
    case topLevelAction(name: String)
    /// `countCheap`: a top-level function (GET).
    case topLevelFunction(name: String)
    /// `…/ID/_access` (who holds which right) or `…/ID/_access/USER` (one user's grant).
    case entityAccess(CollectionPath, id: String, user: String?)

    /// `…/ID/_files/SHA256`: a file the entity refers to.
    case entityFile(CollectionPath, id: String, sha256: String)

    /// The segment after an id that names the entity's sharing list; reserved in every collection.
    static let accessSegment = "_access"
    /// The segment after an id that names the entity's files; reserved in every collection.
    static let filesSegment = "_files"

    /// Resolves percent-decoded path segments; throws `NOT_FOUND` naming the first unknown segment.
    static func resolve(_ segments: [String], in schema: Schema) throws(RESTError) -> RESTPath {
        guard let first = segments.first, !first.isEmpty else {
            throw RESTError(
                .notFound,
                "NOT_FOUND",
                "no collection given; paths are /api/v1/[namespace/]collection[/id]"
            )
        }
        if segments.count == 1, schema.collections[first] == nil, schema.namespaces[first] == nil {
            if schema.actions[first] != nil { return .topLevelAction(name: first) }
            if schema.functions[first] != nil { return .topLevelFunction(name: first) }
        }
        var namespace: String?
        var rest = segments[...]
        if schema.namespaces[first] != nil {
            namespace = first
            rest = rest.dropFirst()
            guard rest.first != nil else {
                throw RESTError(.notFound, "NOT_FOUND", "'\(first)' is a namespace; name one of its collections")
            }
        }
        var collection = CollectionPath(namespace: namespace, segments: [rest.removeFirst()])
        guard var declaration = schema.collection(at: collection) else {
            throw RESTError(.notFound, "NOT_FOUND", "collection '\(collection.schemaKey)' does not exist")
        }
        while let segment = rest.first {
            rest = rest.dropFirst()
            if rest.isEmpty, declaration.actions[segment]?.scope == .collection {
                return .collectionAction(collection, name: segment)
            }
            if rest.isEmpty, declaration.functions[segment]?.scope == .collection {
                return .collectionFunction(collection, name: segment)
            }
            guard !segment.isEmpty else {
                throw RESTError(.notFound, "NOT_FOUND", "empty id in the path of '\(collection.schemaKey)'")
            }
            let id = segment
            guard let next = rest.first else { return .entity(collection, id: id) }
            rest = rest.dropFirst()
            if next == accessSegment, rest.count <= 1 {
                if let user = rest.first, user.isEmpty {
                    throw RESTError(.notFound, "NOT_FOUND", "empty user name in the path of '\(collection.schemaKey)'")
                }
                return .entityAccess(collection, id: id, user: rest.first)
            }
            if next == filesSegment, rest.count == 1, let sha256 = rest.first {
                return .entityFile(collection, id: id, sha256: sha256)
            }
            if rest.isEmpty, declaration.actions[next]?.scope == .resource {
                return .entityAction(collection, id: id, name: next)
            }
            if rest.isEmpty, declaration.functions[next]?.scope == .resource {
                return .entityFunction(collection, id: id, name: next)
            }
            guard let nested = declaration.collections[next] else {
                throw RESTError(
                    .notFound,
                    "NOT_FOUND",
                    "'\(next)' is neither an action, a function nor a nested collection of '\(collection.schemaKey)'"
                )
            }
            collection = collection.nested(next, in: id)
            declaration = nested
        }
        return .collection(collection)
    }

    /// An id as one path segment: percent-encoded where a path segment needs it (`/`, `?`, `#`, `%`,
    /// spaces), so `https://example.org/a` becomes `https:%2F%2Fexample.org%2Fa`.
    static func encoded(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? id
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))

    /// Splits a raw URL path below the prefix into percent-decoded segments.
    static func segments(of path: Substring) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }
    }
}
