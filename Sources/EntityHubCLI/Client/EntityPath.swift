import EntityClient

/// A `/`-separated path on the command line: `products`, `products/PRD-1`,
/// `devops/services/SRVC-1/environments`.
struct EntityPath {
    let segments: [String]

    init(_ text: String) throws {
        let trimmed = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !trimmed.isEmpty else { throw CLIError("'\(text)' is not a path like products or products/PRD-1") }
        segments = trimmed
    }

    /// The collection this path names.
    func collection(in client: EntityClient) -> CollectionReference {
        CollectionReference(client: client, path: segments)
    }

    /// The entity this path names: its last segment is the id.
    func resource(in client: EntityClient) throws -> ResourceReference {
        try requireResource()
        return CollectionReference(client: client, path: Array(segments.dropLast()))[segments[segments.count - 1]]
    }

    /// Fails unless the path names an entity (COLLECTION/ID): it has at least two segments.
    func requireResource() throws {
        guard segments.count >= 2 else {
            throw CLIError("'\(segments.joined(separator: "/"))' names a collection; give COLLECTION/ID")
        }
    }

    /// The action this path names: its last segment is the action.
    func action(in client: EntityClient) throws -> ActionReference {
        guard segments.count >= 2 else {
            throw CLIError("'\(segments.joined(separator: "/"))' names no action; give COLLECTION[/ID]/ACTION")
        }
        return CollectionReference(client: client, path: Array(segments.dropLast())).action(
            segments[segments.count - 1]
        )
    }
}
