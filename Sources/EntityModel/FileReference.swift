/// A value's reference to a stored file: an object `{"$file": "<sha256>", "size", "type", "name"}`
/// anywhere in an entity's values. Files are stored once per content and named by the SHA-256 digest
/// of their bytes.
///
/// ```swift
/// let values: [String: JSON] = ["report": ["$file": .string(digest), "name": "q3.pdf"]]
/// FileReference.digests(in: values)        // [digest]
/// ```
public enum FileReference {
    /// The key that marks an object as a file reference.
    public static let key = "$file"

    /// The value that refers to file `sha256`: `{"$file", "size", "type"?, "name"?}`.
    public static func value(sha256: String, size: Int64, type: String? = nil, name: String? = nil) -> JSON {
        var members: [String: JSON] = [key: .string(sha256), "size": .integer(size)]
        if let type { members["type"] = .string(type) }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }

    /// The digests of the files `values` refer to (the `"$file"` strings, whatever their form).
    public static func digests(in values: [String: JSON]) -> Set<String> {
        var found = Set<String>()
        for value in values.values { collect(value, into: &found) }
        return found
    }

    /// The problems of the references in `values`: each `"$file"` that is not a SHA-256 digest (64
    /// lowercase hex digits), named by its path (`attachments.0.$file`).
    public static func problems(in values: [String: JSON]) -> [String] {
        var problems: [String] = []
        for (key, value) in values { check(value, path: key, into: &problems) }
        return problems.sorted()
    }

    /// Whether `text` is a SHA-256 digest as files are named: 64 lowercase hex digits.
    public static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func collect(_ value: JSON, into found: inout Set<String>) {
        switch value {
        case .object(let members):
            if case .string(let digest)? = members[key] { found.insert(digest) }
            for member in members.values { collect(member, into: &found) }
        case .array(let elements):
            for element in elements { collect(element, into: &found) }
        default:
            break
        }
    }

    private static func check(_ value: JSON, path: String, into problems: inout [String]) {
        switch value {
        case .object(let members):
            if let reference = members[key] {
                if case .string(let digest) = reference, isDigest(digest) {
                } else {
                    problems.append(
                        "\(path).\(key): expected the SHA-256 digest of an uploaded file (64 lowercase hex digits)"
                    )
                }
            }
            for (name, member) in members where name != key {
                check(member, path: path + "." + name, into: &problems)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { check(element, path: "\(path).\(index)", into: &problems) }
        default:
            break
        }
    }
}
