import Foundation

extension Evaluator {
    /// Whether the POSIX ERE `pattern` (the subset of ``NGSILDPattern``) finds a match in `text`, as
    /// ``Filter/regex(_:_:)`` documents: a search, `^`/`$` at the ends of the whole text only, `.`
    /// any character. A pattern that does not compile matches nothing.
    ///
    /// Compiled patterns are kept in a bounded cache shared by all callers (the SQLite backend's
    /// `entityhub_regexp` function runs this too).
    ///
    /// ```swift
    /// Evaluator.regexFinds("^urn:ngsi-ld:Building:[0-9]+$", in: "urn:ngsi-ld:Building:42")   // true
    /// ```
    public static func regexFinds(_ pattern: String, in text: String) -> Bool {
        guard let expression = RegexCache.shared.expression(for: pattern) else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// Compiled regular expressions by pattern text, at most ``limit`` of them (emptied when full).
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    static let limit = 512

    private let lock = NSLock()
    // Guarded by `lock`; a failed compilation is remembered as `nil`.
    private var expressions: [String: NSRegularExpression?] = [:]

    func expression(for pattern: String) -> NSRegularExpression? {
        if let cached = lock.withLock({ expressions[pattern] }) { return cached }
        let expression = try? NSRegularExpression(pattern: Self.icuPattern(pattern), options: [])
        lock.withLock {
            if expressions.count >= Self.limit { expressions.removeAll(keepingCapacity: true) }
            expressions[pattern] = .some(expression)
        }
        return expression
    }

    /// The ICU spelling of a POSIX ERE of the supported subset: `$` becomes `\z` (ICU's `$` also
    /// matches before a final line break), `.` becomes `[\s\S]` (one character, line breaks and a
    /// CR LF pair's halves included), and `[:punct:]` also takes symbols (`$`, `+`, `<`…) as POSIX does.
    static func icuPattern(_ pattern: String) -> String {
        var result = ""
        var scalars = pattern.unicodeScalars[...]
        var inBracket = false
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\\":
                result.unicodeScalars.append(scalar)
                if let escaped = scalars.popFirst() { result.unicodeScalars.append(escaped) }
            case "[" where inBracket:
                // A class such as `[:alpha:]`: the only `[` the subset allows inside brackets.
                var name = ""
                while let next = scalars.popFirst() {
                    if next == "]" { break }
                    name.unicodeScalars.append(next)
                }
                result += name == ":punct:" ? #"\p{P}\p{S}"# : "[" + name + "]"
            case "[":
                inBracket = true
                result += "["
                if scalars.first == "^" { result += String(scalars.removeFirst()) }
            case "]" where inBracket:
                inBracket = false
                result += "]"
            case "$" where !inBracket:
                result += #"\z"#
            case "." where !inBracket:
                result += #"[\s\S]"#
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
