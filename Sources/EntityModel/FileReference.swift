/// A value's reference to a stored file: an object `{"$file": "<sha256>", "size", "type", "name"}`
/// anywhere in an entity's values. Files are stored once per content and named by the SHA-256 digest
/// of their bytes.
///
/// ```swift
/// let values: [String: JSON] = ["report": ["$file": .string(digest), "name": "q3.pdf"]]
/// FileReference.digests(in: values)        // [digest]
/// FileReference.scan(values).problems      // [] (a malformed "$file" is named by its path)
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

    /// The files `values` refer to and the problems of its references (each `"$file"` that is not a
    /// SHA-256 digest, named by its path, such as `attachments.0.$file`), in one walk.
    public static func scan(_ values: [String: JSON]) -> (digests: Set<String>, problems: [String]) {
        var digests = Set<String>()
        var problems: [String] = []
        for (key, value) in values { scan(value, path: key, digests: &digests, problems: &problems) }
        return (digests, problems.sorted())
    }

    /// The first `{"$file": sha256, …}` object anywhere in `values`: what a download says of the file.
    public static func reference(to sha256: String, in values: [String: JSON]) -> [String: JSON]? {
        for value in values.values {
            if let found = reference(to: sha256, in: value) { return found }
        }
        return nil
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

    private static func scan(
        _ value: JSON,
        path: String,
        digests: inout Set<String>,
        problems: inout [String]
    ) {
        switch value {
        case .object(let members):
            if let reference = members[key] {
                if case .string(let digest) = reference, isDigest(digest) {
                    digests.insert(digest)
                } else {
                    problems.append(
                        "\(path).\(key): expected the SHA-256 digest of an uploaded file (64 lowercase hex digits)"
                    )
                }
            }
            for (name, member) in members where name != key {
                scan(member, path: path + "." + name, digests: &digests, problems: &problems)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                scan(element, path: "\(path).\(index)", digests: &digests, problems: &problems)
            }
        default:
            break
        }
    }

    private static func reference(to sha256: String, in value: JSON) -> [String: JSON]? {
        switch value {
        case .object(let members):
            if members[key]?.stringValue == sha256 { return members }
            for member in members.values {
                if let found = reference(to: sha256, in: member) { return found }
            }
            return nil
        case .array(let elements):
            for element in elements {
                if let found = reference(to: sha256, in: element) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
