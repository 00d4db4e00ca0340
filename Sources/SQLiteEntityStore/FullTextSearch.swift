import EntityModel
import EntityQuery

/// The full-text side of the store: the text indexed for an entity and the FTS5 query for a search.
///
/// Each entity with searchable text has one row in the FTS5 table `entities_fts` (tokenizer
/// `unicode61 remove_diacritics 2`) whose rowid is the entity's `rid`; it is written, replaced and
/// deleted in the same transaction as the entity.
enum FullTextSearch {
    /// The text to index: the string values at the dot paths `fields` (other values are ignored), or
    /// every top-level string value when `fields` is empty.
    static func text(of values: [String: JSON], fields: [String]) -> String {
        var parts: [String] = []
        if fields.isEmpty {
            for key in values.keys.sorted() {
                if case .string(let text) = values[key] { parts.append(text) }
            }
        } else {
            let document = JSON.object(values)
            for field in fields {
                let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if case .string(let text)? = document.value(at: path) { parts.append(text) }
            }
        }
        return parts.joined(separator: "\n")
    }

    /// The FTS5 `MATCH` expression for a user's search text, or `nil` when it has no term.
    ///
    /// The text is cut into words exactly as ``Evaluator/searchWords(_:)`` does (runs of letters and
    /// digits, so `foo-bar` is two words); each word is quoted (inner quotes doubled, though words
    /// have none) and made a prefix query (`"word"*`), and the words are and-ed. FTS5 syntax in user
    /// input (`AND`, `*`, `(`, `"`, `NEAR`) therefore never reaches FTS5. No word: no search filter.
    static func matchExpression(_ search: String) -> String? {
        let terms = Evaluator.searchWords(search)
        guard !terms.isEmpty else { return nil }
        return terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " ")
    }
}
