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
