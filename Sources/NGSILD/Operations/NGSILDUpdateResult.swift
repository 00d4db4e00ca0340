import EntityModel

/// What an append or update did, attribute by attribute (5.2.18), with attribute names fully
/// expanded as partial-success bodies require (§2.1).
///
/// ```swift
/// result.json
/// // {"updated": ["https://uri.etsi.org/ngsi-ld/default-context/speed"],
/// //  "notUpdated": [{"attributeName": "https://example.org/ctx#name",
/// //                  "reason": "attribute instance exists and noOverwrite was requested"}]}
/// ```
public struct NGSILDUpdateResult: Sendable, Hashable {
    /// An attribute that was not updated, and why.
    public struct NotUpdated: Sendable, Hashable {
        /// The attribute's expanded IRI.
        public var attributeName: String
        /// Why it was left alone.
        public var reason: String

        /// Creates an entry.
        public init(attributeName: String, reason: String) {
            self.attributeName = attributeName
            self.reason = reason
        }
    }

    /// The expanded IRIs of the attributes written, each once, sorted.
    public var updated: [String]
    /// The attributes left alone, sorted by name.
    public var notUpdated: [NotUpdated]

    /// Creates a result.
    public init(updated: [String] = [], notUpdated: [NotUpdated] = []) {
        self.updated = updated
        self.notUpdated = notUpdated
    }

    /// `true` when nothing was left alone: the adapter answers 204, else 207 with ``json``.
    public var isComplete: Bool { notUpdated.isEmpty }

    /// The UpdateResult body: `{"updated": [...], "notUpdated": [{"attributeName", "reason"}]}`.
    public var json: JSON {
        [
            "updated": .array(updated.map(JSON.string)),
            "notUpdated": .array(
                notUpdated.map { ["attributeName": .string($0.attributeName), "reason": .string($0.reason)] }
            ),
        ]
    }

    /// Records an attribute (stored name) as updated.
    mutating func markUpdated(_ storedName: String) {
        let iri = Self.expandedName(storedName)
        if !updated.contains(iri) { updated.append(iri) }
    }

    /// Records an attribute (stored name) as not updated.
    mutating func markNotUpdated(_ storedName: String, reason: String) {
        let entry = NotUpdated(attributeName: Self.expandedName(storedName), reason: reason)
        if !notUpdated.contains(entry) { notUpdated.append(entry) }
    }

    /// Sorts both lists, for stable answers.
    mutating func sort() {
        updated.sort()
        notUpdated.sort { ($0.attributeName, $0.reason) < ($1.attributeName, $1.reason) }
    }

    /// The expanded IRI of a stored name (`speed` → `https://uri.etsi.org/ngsi-ld/default-context/speed`).
    static func expandedName(_ storedName: String) -> String {
        ActiveContext.core.expandIRI(storedName) ?? storedName
    }
}
