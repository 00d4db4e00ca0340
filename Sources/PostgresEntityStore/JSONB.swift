import EntityModel
import EntityStore

/// The `jsonb` copy of entity values that queries read.
///
/// `jsonb` cannot hold the character U+0000, so the query copy has U+FFFD in its place (in keys and
/// strings alike), and so do query values and paths; numbers beyond `numeric`'s range are brought
/// into it (``NumericRange``). The exact values are kept in the `document` column, which reads return.
enum JSONB {
    /// `json` as `jsonb` input text, U+0000 replaced.
    static func text(_ json: JSON) -> String {
        sanitized(json).serialized()
    }

    /// The `jsonb` input text of `json`, whose compact text is `serialized`: that text itself, unless a
    /// U+0000 or a number beyond `numeric`'s range makes the query copy differ.
    static func text(_ json: JSON, serialized: String) -> String {
        isQueryCopy(json) ? serialized : text(json)
    }

    /// Whether `json` holds no U+0000 and no number ``sanitized(_:)-(JSON)`` would change.
    private static func isQueryCopy(_ json: JSON) -> Bool {
        switch json {
        case .string(let text): return !text.utf8.contains(0)
        case .number(let number): return NumericRange.clamped(number.text) == number.text
        case .array(let elements): return elements.allSatisfy(isQueryCopy)
        case .object(let members): return members.allSatisfy { !$0.key.utf8.contains(0) && isQueryCopy($0.value) }
        default: return true
        }
    }

    /// `json` as the query copy holds it: U+0000 replaced, numbers brought into `numeric`'s range.
    static func sanitized(_ json: JSON) -> JSON {
        QueryCopy.replacingNUL(json) { number in
            let text = NumericRange.clamped(number.text)
            return .number(text == number.text ? number : JSONNumber(text) ?? number)
        }
    }

    static func sanitized(_ text: String) -> String {
        QueryCopy.replacingNUL(text)
    }

    /// Whether Postgres's `#>` could read `key` as an array position (`0`, `-1`, ` 2`).
    static func couldIndexArray(_ key: String) -> Bool {
        !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: " ") || (byte >= 9 && byte <= 13)
            }
    }

    /// The text of a JSON number, which Postgres's `numeric` reads exactly.
    static func numberText(_ json: JSON) -> String? {
        switch json {
        case .integer(let integer): return String(integer)
        case .number(let number): return NumericRange.clamped(number.text)
        default: return nil
        }
    }
}
