import HTTPTypes

/// The media types NGSI-LD speaks (§2.2).
enum NGSILDMediaType: String, Sendable, CaseIterable {
    case json = "application/json"
    case jsonLD = "application/ld+json"
    case geoJSON = "application/geo+json"

    /// The body type of a POST, PATCH or PUT: json, ld+json, or (PATCH only) merge-patch+json read as
    /// json; parameters such as `charset` are ignored. `nil` for any other type, or none.
    static func ofBody(_ header: String?, method: HTTPRequest.Method) -> NGSILDMediaType? {
        guard let header else { return nil }
        switch essence(of: header) {
        case "application/json": return .json
        case "application/ld+json": return .jsonLD
        case "application/merge-patch+json" where method == .patch: return .json
        default: return nil
        }
    }

    /// The answer's type for an `Accept` header, by q-weight (ties: json, ld+json, geo+json); a missing
    /// header, `*/*` and `application/*` mean json. `nil` when nothing offered is acceptable.
    static func negotiate(_ header: String?, offeringGeoJSON: Bool) -> NGSILDMediaType? {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return .json }
        let offered: [NGSILDMediaType] = offeringGeoJSON ? [.json, .jsonLD, .geoJSON] : [.json, .jsonLD]
        var best: (type: NGSILDMediaType, weight: Double)?
        for range in header.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            guard weight > 0 else { continue }
            let matching: [NGSILDMediaType]
            switch name {
            case "*/*", "application/*": matching = [.json]
            default: matching = offered.filter { $0.rawValue == name }
            }
            for type in matching {
                if let current = best, current.weight >= weight { continue }
                best = (type, weight)
            }
        }
        return best?.type
    }

    /// The type and subtype of a header value, lowercased, without parameters.
    static func essence(of header: String) -> String {
        let type = header.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
