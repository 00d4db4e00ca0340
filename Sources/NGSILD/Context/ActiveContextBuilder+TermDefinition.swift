import EntityModel

extension ActiveContextBuilder {
    /// The members a term definition object may have.
    private static let definitionMembers: Set<String> = [
        "@container", "@id", "@language", "@reverse", "@type", "@context", "@direction", "@index", "@nest",
        "@prefix", "@protected",
    ]

    /// Defines `term` from the local context (JSON-LD 1.1 Create Term Definition), first defining the
    /// terms of the same context object it depends on.
    mutating func defineTerm(_ term: String, in local: inout LocalContext) throws(NGSILDError) {
        if let done = local.defined[term] {
            if done { return }
            throw local.error(term: term, "its definition depends on itself")
        }
        local.defined[term] = false
        guard let value = local.members[term] else { return }
        if term == "@type" { return try acceptTypeKeywordDefinition(value, in: &local) }
        if JSONLDKeyword.isKeyword(term) { throw local.error(term: term, "a keyword cannot be redefined") }
        if JSONLDKeyword.isReservedForm(term) { return }  // reserved for future keywords: ignored
        if term.isEmpty { throw local.error("a term cannot be the empty string") }

        let isSimple: Bool
        let members: [String: JSON]
        switch value {
        case .string, .null:
            isSimple = true
            members = ["@id": value]
        case .object(let object):
            isSimple = false
            members = object
        default:
            throw local.error(term: term, "a definition must be a string, null or an object")
        }
        if let unknown = members.keys.sorted().first(where: { !Self.definitionMembers.contains($0) }) {
            throw local.error(term: term, "a term definition cannot contain \(unknown)")
        }
        let previous = terms.removeValue(forKey: term)
        guard var definition = try makeIRIMapping(term, members, isSimple: isSimple, in: &local) else {
            terms[term] = previous  // an IRI of a keyword's form: the term keeps its previous meaning
            local.defined[term] = nil
            return
        }
        let protection = try local.boolean(members["@protected"], named: "term \"\(term)\": @protected")
        definition.isProtected = protection ?? local.protectsByDefault
        try addMappings(members, to: &definition, term: term, in: &local)

        if let previous, previous.isProtected {
            // NGSI-LD: a protected term (the core's) silently keeps its meaning.
            definition.isProtected = true
            if definition != previous { definition = previous }
        }
        terms[term] = definition
        local.defined[term] = true
    }

    /// JSON-LD 1.1 lets a context declare `"@type": {"@container": "@set"}`; it changes no name.
    private func acceptTypeKeywordDefinition(_ value: JSON, in local: inout LocalContext) throws(NGSILDError) {
        guard case .object(let members) = value, !members.isEmpty,
            members.keys.allSatisfy(["@container", "@id", "@protected"].contains),
            (members["@container"] ?? "@set") == "@set"
        else { throw local.error(term: "@type", "a keyword cannot be redefined") }
        local.defined["@type"] = true
    }

    /// The IRI of a term: from `@reverse`, `@id`, its own `prefix:suffix` form or the vocabulary.
    /// `nil` when the definition must be ignored (an IRI of a keyword's form).
    private mutating func makeIRIMapping(
        _ term: String,
        _ members: [String: JSON],
        isSimple: Bool,
        in local: inout LocalContext
    ) throws(NGSILDError) -> TermDefinition? {
        if let reverse = members["@reverse"] {
            guard members["@id"] == nil, members["@nest"] == nil else {
                throw local.error(term: term, "an @reverse definition cannot have @id or @nest")
            }
            guard case .string(let text) = reverse else { throw local.error(term: term, "@reverse must be a string") }
            if JSONLDKeyword.isReservedForm(text) { return nil }
            guard let iri = try expandIRI(text, in: &local), JSONLDKeyword.isAbsoluteIRI(iri) else {
                throw local.error(term: term, "@reverse must expand to an absolute IRI")
            }
            var definition = TermDefinition(iri: iri)
            definition.isReverse = true
            return definition
        }
        switch members["@id"] {
        case .null?:
            return TermDefinition(iri: nil)
        case .string(let id)? where id != term:
            if !JSONLDKeyword.isKeyword(id) && JSONLDKeyword.isReservedForm(id) { return nil }
            guard let iri = try expandIRI(id, in: &local),
                JSONLDKeyword.isAbsoluteIRI(iri) || JSONLDKeyword.isKeyword(iri)
            else { throw local.error(term: term, "@id \"\(id)\" is not an absolute IRI, compact IRI or keyword") }
            try checkIRIFormedTerm(term, expandsTo: iri, in: &local)
            var definition = TermDefinition(iri: iri)
            let hasColon = JSONLDKeyword.splitCompactIRI(term) != nil
            definition.isPrefix =
                isSimple && !hasColon && (iri.hasPrefix("_:") || JSONLDKeyword.endsWithGenericDelimiter(iri))
            return definition
        case .string?, nil:
            return TermDefinition(iri: try implicitIRI(of: term, in: &local))
        case let other?:
            throw local.error(term: term, "@id must be a string or null, found \(other.typeName)")
        }
    }

    /// A term that looks like an IRI (`a:b`, or with a `/`) must expand to the IRI it is mapped to.
    private mutating func checkIRIFormedTerm(
        _ term: String,
        expandsTo iri: String,
        in local: inout LocalContext
    ) throws(NGSILDError) {
        let looksLikeIRI =
            term.contains("/")
            || zip(term, term.dropFirst()).contains { $0 == ":" && $1 != ":" }
        guard looksLikeIRI else { return }
        local.defined[term] = true  // expand the term's own text, not its definition
        let termIRI = try expandIRI(term, in: &local)
        local.defined[term] = false
        guard termIRI == iri else { throw local.error(term: term, "a term in the form of an IRI must expand to it") }
    }

    /// The IRI of a term without `@id`: through its prefix, itself if absolute, else the vocabulary.
    private mutating func implicitIRI(of term: String, in local: inout LocalContext) throws(NGSILDError) -> String {
        if let (prefix, suffix) = JSONLDKeyword.splitCompactIRI(term) {
            if local.needsDefinition(prefix) { try defineTerm(prefix, in: &local) }
            if let prefixIRI = terms[prefix]?.iri { return prefixIRI + suffix }
            return term
        }
        guard let vocabulary else {
            throw local.error(term: term, "needs an @id, as no @vocab is in effect")
        }
        return vocabulary + term
    }

    /// IRI expansion during context processing: terms of the same context object are defined first.
    mutating func expandIRI(_ name: String, in local: inout LocalContext) throws(NGSILDError) -> String? {
        if !JSONLDKeyword.isKeyword(name) && !JSONLDKeyword.isReservedForm(name) {
            if local.needsDefinition(name) { try defineTerm(name, in: &local) }
            if terms[name] == nil, let (prefix, _) = JSONLDKeyword.splitCompactIRI(name), local.needsDefinition(prefix)
            {
                try defineTerm(prefix, in: &local)
            }
        }
        return ActiveContext.expandIRI(name, terms: terms, vocabulary: vocabulary)
    }
}
