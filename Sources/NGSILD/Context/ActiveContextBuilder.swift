import EntityModel

/// Applies local context objects, in order, to an active context (JSON-LD 1.1 context processing,
/// the subset NGSI-LD needs). Remote references are resolved before, by ``ContextProcessor``.
///
/// One NGSI-LD rule differs from JSON-LD: a redefinition of a protected term is ignored silently
/// instead of failing, so user contexts that redefine core terms still work and the core wins.
struct ActiveContextBuilder {
    var terms: [String: TermDefinition]
    var vocabulary: String?

    init(startingFrom context: ActiveContext) {
        terms = context.terms
        vocabulary = context.vocabulary
    }

    /// The active context built so far.
    var context: ActiveContext { ActiveContext(terms: terms, vocabulary: vocabulary) }

    /// Applies a `null` context: back to the empty context, unless a term is protected.
    mutating func reset(source: String?) throws(NGSILDError) {
        if terms.values.contains(where: \.isProtected) {
            throw NGSILDError(.invalidContext, "a null @context cannot clear protected terms", url: source)
        }
        terms = [:]
        vocabulary = nil
    }

    /// Applies one context object: its context-wide members, then every term definition.
    ///
    /// - Parameters:
    ///   - members: the members of the context object.
    ///   - source: the URL of the document it came from, for error messages.
    ///   - isCore: `true` for the NGSI-LD core context, whose scoped context is kept but never applied;
    ///     a user context with a scoped context is refused (5.5.7).
    mutating func apply(_ members: [String: JSON], source: String?, isCore: Bool) throws(NGSILDError) {
        var local = LocalContext(members: members, source: source, allowsScopedContexts: isCore)
        try applyVersion(members["@version"], in: local)
        if members["@import"] != nil { throw local.error("@import must be resolved before the context is applied") }
        try applyVocabulary(members["@vocab"], in: local)
        try Self.check(members, in: local)
        local.protectsByDefault = try local.boolean(members["@protected"], named: "@protected") ?? false
        for term in members.keys.sorted() where !LocalContext.contextMembers.contains(term) {
            try defineTerm(term, in: &local)
        }
    }

    private func applyVersion(_ version: JSON?, in local: LocalContext) throws(NGSILDError) {
        guard let version else { return }
        guard case .number(let number) = version, number.text == "1.1" else {
            throw local.error("@version must be 1.1, found \(version)")
        }
    }

    /// `@vocab`: `null` removes it; a string is expanded against the context so far (it may use a
    /// prefix or be relative to the previous vocabulary) and must give an absolute IRI.
    private mutating func applyVocabulary(_ value: JSON?, in local: LocalContext) throws(NGSILDError) {
        switch value {
        case nil: return
        case .null?: vocabulary = nil
        case .string(let text)?:
            guard let iri = ActiveContext.expandIRI(text, terms: terms, vocabulary: vocabulary),
                JSONLDKeyword.isAbsoluteIRI(iri)
            else { throw local.error("@vocab \"\(text)\" is not an absolute IRI") }
            vocabulary = iri
        case let other?: throw local.error("@vocab must be a string or null, found \(other.typeName)")
        }
    }

    /// The context-wide members EntityHub accepts but that change nothing for names: `@base` (names
    /// are expanded against the vocabulary only), `@language`, `@direction` and `@propagate`.
    private static func check(_ members: [String: JSON], in local: LocalContext) throws(NGSILDError) {
        if let base = members["@base"], base != .null, base.stringValue == nil {
            throw local.error("@base must be a string or null")
        }
        if let language = members["@language"], language != .null, language.stringValue == nil {
            throw local.error("@language must be a string or null")
        }
        if let direction = members["@direction"], ![.null, "ltr", "rtl"].contains(direction) {
            throw local.error("@direction must be null, \"ltr\" or \"rtl\"")
        }
        _ = try local.boolean(members["@propagate"], named: "@propagate")
    }
}
