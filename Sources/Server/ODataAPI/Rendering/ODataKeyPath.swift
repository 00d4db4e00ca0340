import Foundation

/// Canonical URLs of entities: `products('PRD-1')`, with `'` doubled and characters that would end
/// the segment percent-encoded (`/`, `?`, `#`, `%`, spaces).
enum ODataKeyPath {
    static func entity(set: String, id: String) -> String {
        "\(set)(\(literal(id)))"
    }

    /// The key as a URL-safe string literal.
    static func literal(_ id: String) -> String {
        // Most ids (generated ones, prefixed patterns) need neither doubling nor encoding.
        if id.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D
                || byte == 0x5F
                || byte == 0x2E
        }) {
            return "'\(id)'"
        }
        let quoted = id.replacingOccurrences(of: "'", with: "''")
        return "'" + (quoted.addingPercentEncoding(withAllowedCharacters: allowed) ?? quoted) + "'"
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/?#%")
        return set
    }()
}
