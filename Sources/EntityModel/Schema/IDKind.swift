/// Which ids the entities of a collection have: what a client may send as `id`, and what is
/// generated when it sends none. Declared as `"ids"` in a collection's schema.
///
/// ```json
/// {"collections": {"rooms": {"ids": "uri"}}}
/// ```
public enum IDKind: String, Sendable, Hashable, CaseIterable {
    /// URL-safe ids (the default): a client may send 1 to 128 characters of `A-Z a-z 0-9 - _ . ~`;
    /// generated ids follow `idPrefix` and `idPattern`, or are sortable unique ids.
    case urlSafe = "url-safe"
    /// Absolute IRIs, as NGSI-LD names entities (`urn:ngsi-ld:Room:1`): a client-supplied id must pass
    /// ``IRIValidator``; generated ids are `urn:uuid:` and a lowercase UUID.
    case uri
    /// Any Unicode text of 1 to 1,024 UTF-8 bytes without control characters or `/` (percent-encoded
    /// in paths), as oaio clients make them (`notes⫻alice﹫phone⁄20261124004339145703`); generated
    /// ids are sortable unique ids.
    case text

    /// What is wrong with `id` as a client-supplied id of this kind, or `nil` when it is fine.
    public func problem(with id: String) -> String? {
        switch self {
        case .urlSafe:
            return IDKind.isURLSafe(id) ? nil : "expected 1 to 128 characters of A-Z a-z 0-9 - _ . ~"
        case .uri:
            return IRIValidator.problem(with: id)
        case .text:
            guard (1...1024).contains(id.utf8.count) else { return "expected 1 to 1,024 bytes of UTF-8 text" }
            guard id != ".", id != ".." else { return "'.' and '..' name no entity" }
            if let bad = id.unicodeScalars.first(where: { $0 == "/" || $0.properties.generalCategory == .control }) {
                return
                    "expected text without '/' or control characters, found U+\(String(bad.value, radix: 16, uppercase: true))"
            }
            return nil
        }
    }

    /// Whether `id` is 1 to 128 characters of `A-Z a-z 0-9 - _ . ~` (and not `.` or `..`).
    public static func isURLSafe(_ id: String) -> Bool {
        guard (1...128).contains(id.utf8.count), id != ".", id != ".." else { return false }
        return id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                return true
            default:
                return false
            }
        }
    }
}
