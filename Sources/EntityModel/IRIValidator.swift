/// Checks that an entity id is an absolute IRI, as collections with ``IDKind/uri`` ids require.
///
/// An absolute IRI here is `scheme ":" rest`: the scheme is a letter followed by letters, digits,
/// `+`, `-` or `.` (RFC 3986), the rest is not empty. The whole id is at most
/// ``maximumLength`` UTF-8 bytes and holds no whitespace, no control character (category Cc) and
/// no invisible character (format characters Cf such as U+200B or U+FEFF, and separators Zs, Zl,
/// Zp such as U+00A0).
///
/// ```swift
/// IRIValidator.problem(with: "urn:ngsi-ld:Room:1")   // nil: a valid id
/// IRIValidator.problem(with: "Room 1")               // "expected an absolute IRI (scheme:rest) …"
/// ```
public enum IRIValidator {
    /// The longest id accepted, in UTF-8 bytes.
    public static let maximumLength = 1024

    /// Whether `id` is an acceptable absolute IRI.
    public static func isAbsoluteIRI(_ id: String) -> Bool { problem(with: id) == nil }

    /// What is wrong with `id` as an absolute IRI, in words fit for a client; `nil` when nothing is.
    public static func problem(with id: String) -> String? {
        let length = id.utf8.count
        guard length <= maximumLength else {
            return "expected at most \(maximumLength) bytes (UTF-8) in an IRI, found \(length)"
        }
        // Most ids are printable ASCII, which holds nothing forbidden: skip the Unicode look-ups.
        let printableASCII = id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        for (offset, scalar) in id.unicodeScalars.enumerated() where !printableASCII && isForbidden(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            return "an IRI may not contain whitespace, control or invisible characters; found U+\(padded) at "
                + "character \(offset + 1)"
        }
        guard let colon = id.utf8.firstIndex(of: UInt8(ascii: ":")), isScheme(id.utf8[..<colon]),
            id.utf8.index(after: colon) != id.utf8.endIndex
        else {
            return "expected an absolute IRI (scheme:rest, e.g. urn:ngsi-ld:Room:1), found \(quoted(id))"
        }
        return nil
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: return false
        }
    }

    private static func isScheme(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        return bytes.dropFirst().allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func quoted(_ id: String) -> String {
        id.count <= 60 ? "'\(id)'" : "'\(id.prefix(60))…'"
    }
}
