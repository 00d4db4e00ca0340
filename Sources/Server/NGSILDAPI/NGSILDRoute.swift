import HTTPTypes

/// What a path under `/ngsi-ld/v1` names (the routes of §1), with the methods each allows.
///
/// A trailing slash is optional everywhere. Path segments are percent-decoded, so an id may be
/// sent as `urn:ngsi-ld:Room:1` or `urn%3Angsi-ld%3ARoom%3A1`.
enum NGSILDRoute: Sendable, Equatable {
    /// The batch operations under `/entityOperations/`.
    enum BatchKind: String, Sendable, CaseIterable {
        case create, upsert, update, delete, merge
    }

    /// `/entities`: query (GET), create (POST), purge (DELETE).
    case entities
    /// `/entities/{id}`.
    case entity(id: String)
    /// `/entities/{id}/attrs`: append (POST), update (PATCH).
    case attributes(entityID: String)
    /// `/entities/{id}/attrs/{attr}`: partial update (PATCH), replace (PUT), delete (DELETE).
    case attribute(entityID: String, name: String)
    /// `/entityOperations/query`.
    case query
    /// `/entityOperations/{create|upsert|update|delete|merge}`.
    case batch(BatchKind)
    /// `/types`.
    case types
    /// `/types/{type}`.
    case type(name: String)

    static let prefix = "/ngsi-ld/v1"

    /// The route of a path below ``prefix`` (without it), or `nil` when there is none.
    init?(path: Substring) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        if segments.first == "" { segments.removeFirst() }
        // One trailing slash is allowed (`/entities/`), and for `…/attrs/` it names no attribute.
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        switch (segments.first, segments.count) {
        case ("entities", 1): self = .entities
        case ("entities", 2): self = .entity(id: segments[1])
        case ("entities", 3) where segments[2] == "attrs": self = .attributes(entityID: segments[1])
        case ("entities", 4) where segments[2] == "attrs":
            self = .attribute(entityID: segments[1], name: segments[3])
        case ("entityOperations", 2):
            if segments[1] == "query" {
                self = .query
            } else if let kind = BatchKind(rawValue: segments[1]) {
                self = .batch(kind)
            } else {
                return nil
            }
        case ("types", 1): self = .types
        case ("types", 2) where !segments[1].isEmpty: self = .type(name: segments[1])
        default: return nil
        }
    }

    /// The methods the route answers (others get 405 with `Allow`).
    var allowedMethods: [HTTPRequest.Method] {
        switch self {
        case .entities: [.get, .post, .delete]
        case .entity: [.get, .delete, .put, .patch]
        case .attributes: [.post, .patch]
        case .attribute: [.patch, .put, .delete]
        case .query, .batch: [.post]
        case .types, .type: [.get]
        }
    }

    /// Whether a `GET` of this route may answer `application/geo+json` (Retrieve and Query only).
    var offersGeoJSON: Bool {
        switch self {
        case .entities, .entity, .query: true
        default: false
        }
    }
}
