import EntityModel
import Foundation

extension Evaluator {
    /// Full-text search as documented on ``Query/search``.
    ///
    /// The search text and the searched fields are cut into words: maximal runs of letters and
    /// digits (Unicode categories L* and N*), lowercased, with diacritics removed (canonical
    /// decomposition, then nonspacing marks dropped: `Crème` → `creme`). The document matches when
    /// every word of the search text is a prefix of some word of its searched fields; a search
    /// without words (empty, or only punctuation) matches everything. So a term `foo-bar` requires a
    /// word starting with `foo` and one starting with `bar`.
    ///
    /// - Parameter searchFields: dot paths whose string values are searched (other values are
    ///   ignored); when empty, every top-level string field except `id`.
    public static func matchesSearch(_ search: String, document: JSON, searchFields: [String]) -> Bool {
        let terms = searchWords(search)
        guard !terms.isEmpty else { return true }
        var texts: [String] = []
        if searchFields.isEmpty {
            for (key, value) in document.objectValue ?? [:] where key != "id" {
                if case .string(let text) = value { texts.append(text) }
            }
        } else {
            for field in searchFields {
                let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if case .string(let text)? = document.value(at: path) { texts.append(text) }
            }
        }
        let words = texts.flatMap(searchWords)
        return terms.allSatisfy { term in words.contains { $0.utf8.starts(with: term.utf8) } }
    }

    /// The normalized words of `text` (see ``matchesSearch(_:document:searchFields:)``).
    public static func searchWords(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiSearchWords(text) }
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark:
                continue
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            default:
                if !current.isEmpty { words.append(String(current)) }
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// ``searchWords(_:)`` of an ASCII text, byte by byte: ASCII has no marks to drop and decomposes to
    /// itself, its letters and digits are `A`–`Z`, `a`–`z` and `0`–`9`, and every other character
    /// separates words.
    private static func asciiSearchWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte - UInt8(ascii: "A") + UInt8(ascii: "a"))
            default:
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }
}
