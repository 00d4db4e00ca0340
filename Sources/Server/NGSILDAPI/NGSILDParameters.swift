import Foundation
import HTTPTypes

/// The URL parameters of an NGSI-LD request, percent-decoded once (a `+` stays a `+`: scope
/// patterns use it), checked against what the route accepts (§5.1).
struct NGSILDParameters: Sendable {
    /// The parameters in the order received, decoded.
    let pairs: [(name: String, value: String)]

    init(query: String?) {
        var pairs: [(String, String)] = []
        for part in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(halves[0]).removingPercentEncoding ?? String(halves[0])
            let raw = halves.count > 1 ? String(halves[1]) : ""
            pairs.append((name, raw.removingPercentEncoding ?? raw))
        }
        self.pairs = pairs
    }

    /// The value of `name` (the last one, if repeated).
    subscript(name: String) -> String? {
        pairs.last { $0.name == name }?.value
    }

    /// The comma-separated values of `name`, without empty ones; `nil` when absent.
    func list(_ name: String) -> [String]? {
        guard let value = self[name] else { return nil }
        return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A non-negative integer parameter; BadRequestData naming it otherwise.
    func nonNegativeInteger(_ name: String) throws(NGSILDProblem) -> Int? {
        guard let value = self[name] else { return nil }
        guard let number = Int(value), number >= 0 else {
            throw NGSILDProblem(.badRequestData, "\(name): expected a non-negative integer, found '\(value)'")
        }
        return number
    }

    /// A `true`/`false` parameter; BadRequestData naming it otherwise.
    func boolean(_ name: String) throws(NGSILDProblem) -> Bool? {
        guard let value = self[name] else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default: throw NGSILDProblem(.badRequestData, "\(name): expected true or false, found '\(value)'")
        }
    }

    /// Refuses parameters of features EntityHub does not build (422 OperationNotSupported) and any
    /// parameter the route does not know (400 InvalidRequest, clause 6.3.20), in the order given.
    func check(accepting accepted: Set<String>) throws(NGSILDProblem) {
        for (name, _) in pairs where !accepted.contains(name) {
            if Self.unsupported.contains(name) {
                throw NGSILDProblem(.operationNotSupported, "the parameter '\(name)' is not supported by EntityHub")
            }
            throw NGSILDProblem(.invalidRequest, "unknown URL parameter '\(name)'")
        }
    }

    /// Parameters of features out of scope (§5.1, decision 3): recognised, answered with 422.
    static let unsupported: Set<String> = [
        "join", "joinLevel", "containedBy", "georel", "geometry", "coordinates", "geoproperty", "orderBy",
        "collation", "orderFrom", "orderGeometry", "expandValues", "csf", "entityMap", "entityMapLifetime", "via",
    ]
}

extension NGSILDRoute {
    /// The URL parameters the route accepts for `method` (the unsupported ones are checked apart).
    func acceptedParameters(for method: HTTPRequest.Method) -> Set<String> {
        let representation: Set<String> = ["attrs", "pick", "omit", "format", "options", "lang", "geometryProperty"]
        switch (self, method) {
        case (.entities, .get):
            return representation.union([
                "id", "idPattern", "type", "q", "scopeQ", "datasetId", "limit", "offset", "count", "local",
                "jsonKeys", "splitEntities",
            ])
        case (.entities, .delete):
            return ["type", "id", "idPattern", "q", "scopeQ", "local"]
        case (.entities, _):
            return ["local"]
        case (.entity, .get):
            return representation.union(["datasetId", "type", "local", "jsonKeys"])
        case (.entity, .patch):
            return ["format", "options", "observedAt", "lang", "type", "local"]
        case (.entity, _), (.attributes, .patch), (.attribute, .put):
            return ["type", "local"]
        case (.attributes, _):
            return ["options", "type", "local"]
        case (.attribute, .patch):
            return ["type", "observedAt", "lang", "local"]
        case (.attribute, _):
            return ["datasetId", "deleteAll", "lang", "type", "local"]
        case (.query, _):
            return ["limit", "offset", "count", "options", "format", "local", "lang", "geometryProperty"]
        case (.batch(.upsert), _), (.batch(.update), _):
            return ["options", "local"]
        case (.batch, _):
            return ["local"]
        case (.types, _):
            return ["details", "local"]
        case (.type, _):
            return ["local"]
        }
    }
}
