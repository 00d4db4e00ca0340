import EntityQuery
import Foundation

/// Turns the parser's positions (character offsets in the raw `path?query`) into what a user can
/// count: the offset in the option's percent-decoded value (`$filter=name eq` fails at 7), or in the
/// decoded path.
enum ODataOptionPosition {
    static func decoded(_ error: ODataQueryError, path: String, query: String) -> Int {
        let raw = Array(path.unicodeScalars)
        guard let option = error.option, !query.isEmpty else {
            return decodedLength(raw.prefix(min(error.position, raw.count)))
        }
        let queryStart = raw.count + 1
        let scalars = Array(query.unicodeScalars)
        var start = 0
        for part in query.split(separator: "&", omittingEmptySubsequences: false) {
            let length = part.unicodeScalars.count
            defer { start += length + 1 }
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, matches(String(pieces[0]), option) else { continue }
            let valueStart = queryStart + start + pieces[0].unicodeScalars.count + 1
            guard error.position >= valueStart, error.position <= queryStart + start + length else { continue }
            let offset = error.position - queryStart
            return decodedLength(scalars[(start + pieces[0].unicodeScalars.count + 1)..<min(offset, scalars.count)])
        }
        return error.position
    }

    /// Whether the query string has the option `option` (`$filter`, `@p`).
    static func isOption(_ option: String, in query: String) -> Bool {
        query.split(separator: "&").contains { part in
            matches(String(part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]), option)
        }
    }

    /// Whether a raw option name (`%24filter`, `FILTER`, `$filter`) is `option`.
    private static func matches(_ rawName: String, _ option: String) -> Bool {
        var name = (rawName.removingPercentEncoding ?? rawName).lowercased()
        if !name.hasPrefix("$"), !name.hasPrefix("@") { name = "$" + name }
        return name == option.lowercased()
    }

    /// The number of characters `scalars` decode to (`%xx` sequences of one UTF-8 character count once).
    private static func decodedLength(_ scalars: some Collection<Unicode.Scalar>) -> Int {
        let text = String(String.UnicodeScalarView(scalars))
        return (text.removingPercentEncoding ?? text).count
    }
}
