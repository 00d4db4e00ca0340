import Foundation

/// Canonical URLs of entities: `products('PRD-1')`, with `'` doubled and characters that would end
/// the segment percent-encoded (`/`, `?`, `#`, `%`, spaces).
enum ODataKeyPath {
    static func entity(set: String, id: String) -> String {
        "\(set)(\(literal(id)))"
    }

    /// The key as a URL-safe string literal.
    static func literal(_ id: String) -> String {
        let quoted = id.replacingOccurrences(of: "'", with: "''")
        return "'" + (quoted.addingPercentEncoding(withAllowedCharacters: allowed) ?? quoted) + "'"
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/?#%")
        return set
    }()
}
