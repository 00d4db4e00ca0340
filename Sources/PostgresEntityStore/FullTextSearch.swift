import EntityModel
import EntityQuery

/// The full-text side of the store: the words indexed for an entity and the `tsquery` of a search.
///
/// Words are cut and normalized in Swift exactly as ``Evaluator/searchWords(_:)`` does (runs of
/// letters and digits, lowercased, diacritics removed) and stored as they are with
/// `array_to_tsvector`, so no Postgres parser or dictionary changes them. A search becomes a
/// `tsquery` of prefix terms built from normalized words only, so search syntax in user input never
/// reaches Postgres.
enum FullTextSearch {
    /// Postgres keeps lexemes under 2 KiB; longer words are cut (a term longer than that matches any
    /// word sharing its first 2046 bytes).
    static let maximumWordBytes = 2046
    /// A `tsvector` holds less than 1 MiB of lexemes; words past this budget are not indexed.
    static let maximumTotalBytes = 1_000_000

    /// The distinct words to index: those of the string values at the dot paths `fields` (other
    /// values are ignored), or of every top-level string value when `fields` is empty.
    static func words(of values: [String: JSON], fields: [String]) -> [String] {
        var texts: [String] = []
        if fields.isEmpty {
            for key in values.keys.sorted() {
                if case .string(let text) = values[key] { texts.append(text) }
            }
        } else {
            let document = JSON.object(values)
            for field in fields {
                let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if case .string(let text)? = document.value(at: path) { texts.append(text) }
            }
        }
        var seen: Set<String> = []
        var words: [String] = []
        var total = 0
        for text in texts {
            for word in Evaluator.searchWords(text).map(truncated) where !seen.contains(word) {
                total += word.utf8.count + 8
                guard total <= maximumTotalBytes else { return words }
                seen.insert(word)
                words.append(word)
            }
        }
        return words
    }

    /// The `tsquery` text for a user's search: every word a prefix term, and-ed; `nil` when the search
    /// has no word. Words hold only letters and digits, so quoting them is safe.
    static func query(_ search: String) -> String? {
        let terms = Evaluator.searchWords(search).map(truncated)
        guard !terms.isEmpty else { return nil }
        return terms.map { "'" + $0 + "':*" }.joined(separator: " & ")
    }

    private static func truncated(_ word: String) -> String {
        guard word.utf8.count > maximumWordBytes else { return word }
        var result = String.UnicodeScalarView()
        var bytes = 0
        for scalar in word.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > maximumWordBytes { break }
            result.append(scalar)
        }
        return String(result)
    }
}
