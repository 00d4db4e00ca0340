/// The active JSON-LD context of a request: term definitions and the default vocabulary.
///
/// Build one with ``ContextProcessor`` (user contexts, then the core context, which always wins), or
/// use ``core`` when the request names no context. Then expand names on input and compact IRIs on
/// output:
///
/// ```swift
/// let context = try await ContextProcessor(loader: loader).activeContext(for: requestContext)
/// try context.expandType("Building")            // "https://example.org/ctx#Building"
/// context.compactIRI("https://uri.etsi.org/ngsi-ld/default-context/speed", for: .attributeName)   // "speed"
/// ```
public struct ActiveContext: Sendable {
    /// The terms, by name.
    public let terms: [String: TermDefinition]
    /// The `@vocab` mapping: the IRI that names no term definition covers are appended to.
    public let vocabulary: String?
    /// Terms by the IRI they expand to, each list shortest first, then by code point.
    let termsByIRI: [String: [String]]
    /// Terms that can be the prefix of a compact IRI in compaction: no colon, a non-empty IRI.
    let prefixCandidates: [String]

    /// Creates an active context from its terms and vocabulary.
    public init(terms: [String: TermDefinition], vocabulary: String?) {
        self.terms = terms
        self.vocabulary = vocabulary
        // Shortest first, then by code point: the order term selection prefers terms in.
        let ordered = terms.keys.sorted(by: Self.precedesInPreference)
        var byIRI: [String: [String]] = [:]
        var prefixes: [String] = []
        for term in ordered {
            guard let iri = terms[term]?.iri, !iri.isEmpty else { continue }
            byIRI[iri, default: []].append(term)
            if !term.contains(":") { prefixes.append(term) }
        }
        termsByIRI = byIRI
        prefixCandidates = prefixes
    }

    /// The empty context: no terms, no vocabulary.
    public static let empty = ActiveContext(terms: [:], vocabulary: nil)

    /// The context of a request that names none: the core context alone.
    public static let core: ActiveContext = {
        var builder = ActiveContextBuilder(startingFrom: .empty)
        // The embedded core context is a fixed, tested document: failing here is a build defect.
        guard (try? builder.apply(CoreContext.definitions, source: CoreContext.versionedURL, isCore: true)) != nil
        else { preconditionFailure("the embedded NGSI-LD core context cannot be processed") }
        return builder.context
    }()

    /// JSON-LD's order of preference among terms: shorter first, then smaller by Unicode code points.
    static func precedesInPreference(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.unicodeScalars.count
        let right = rhs.unicodeScalars.count
        if left != right { return left < right }
        return lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }
}
