/// A regular expression of the POSIX ERE subset that EntityHub runs for `idPattern`, `~=` and `!~=`
/// (decision 5 of the NGSI-LD reference), checked when parsed.
///
/// Accepted: literal characters, escaped punctuation (`\.`, `\(`), `.`, bracket expressions with
/// ranges and classes (`[a-z_]`, `[^0-9]`, `[[:alpha:]]`), the anchors `^` and `$`, `|`, groups,
/// and one quantifier per atom (`*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` with bounds up to 255).
/// Rejected with the position: a quantifier after another (`a**`, `a*?`), a quantifier with
/// nothing to repeat, a `}` outside a repetition (write `\}`), back-references and other escapes
/// of letters or digits (`\1`, `\d`, `\b`), `(?…)` groups (lookaround, flags), empty groups and
/// alternatives, and the bracket forms regex engines read differently (`[[=a=]]`, `[[.a.]]`, a
/// nested `[`, `&&`, `--`, a `:` first, a `&` starting a range: escape the character instead).
/// Every accepted pattern compiles with `NSRegularExpression`.
///
/// Matching is a search: the pattern may match anywhere in the value unless anchored with `^`/`$`.
///
/// ```swift
/// let pattern = try NGSILDQueryParser().parsePattern("^urn:ngsi-ld:Building:[0-9]+$")
/// pattern.text   // "^urn:ngsi-ld:Building:[0-9]+$"
/// ```
public struct NGSILDPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern's text, as written (quotes and JSON escapes of `q` removed).
    public let text: String

    /// Wraps text that the parser checked.
    init(checked text: String) {
        self.text = text
    }

    public var description: String { text }
}
