import EntityModel

/// File references in entity values: `{"$file": "<sha256>", "size": N, "type": "…", "name": "…"}`,
/// anywhere in the values.
enum FileReference {
    /// The value that refers to file `sha256`.
    static func value(sha256: String, size: Int64, type: String?, name: String?) -> JSON {
        var members: [String: JSON] = ["$file": .string(sha256), "size": .integer(size)]
        if let type { members["type"] = .string(type) }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }

    /// The digests of every file `value` refers to.
    static func digests(in value: JSON) -> Set<String> {
        var found: Set<String> = []
        collect(value, into: &found)
        return found
    }

    private static func collect(_ value: JSON, into found: inout Set<String>) {
        switch value {
        case .object(let members):
            if let digest = members["$file"]?.stringValue { found.insert(digest) }
            for member in members.values { collect(member, into: &found) }
        case .array(let elements):
            for element in elements { collect(element, into: &found) }
        default:
            break
        }
    }

    /// Whether `text` is a SHA-256 digest as the server names files: 64 lowercase hexadecimal digits
    /// (and so safe as a file name).
    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
