extension ActiveContext {
    /// Compacts an IRI for output, following §2.5 (JSON-LD 1.1 IRI compaction, simplified):
    ///
    /// 1. a term whose IRI it is, and whose definition suits the position (no `@list` or `@language`
    ///    container, no datatype); shortest first, then the smallest by code points;
    /// 2. the rest after ``vocabulary`` when that rest is no term of the context;
    /// 3. a compact IRI `prefix:suffix` through a prefix term (a simple term whose IRI ends with one
    ///    of `/ # : ? [ ] @`, or one declared `@prefix`), the shortest, then the smallest;
    /// 4. the IRI itself.
    ///
    /// ```swift
    /// let iri = "https://uri.etsi.org/ngsi-ld/default-context/almostFull"
    /// ActiveContext.core.compactIRI(iri, for: .attributeName)   // "almostFull"
    /// ```
    public func compactIRI(_ iri: String, for position: CompactionPosition) -> String {
        if let term = selectTerm(for: iri, position: position) { return term }
        if let vocabulary, let suffix = JSONLDKeyword.remainder(of: iri, after: vocabulary), !suffix.isEmpty,
            terms[suffix] == nil
        {
            return suffix
        }
        return compactIRIThroughPrefix(iri, position: position) ?? iri
    }

    /// Rule 1: the inverse context's choice among the terms mapped to `iri`.
    private func selectTerm(for iri: String, position: CompactionPosition) -> String? {
        guard let candidates = termsByIRI[iri] else { return nil }
        var best: (rank: Int, term: String)?
        for term in candidates {
            guard let definition = terms[term], let typePreference = typePreference(of: definition),
                let containerRank = position.preferredContainers.firstIndex(of: definition.containerKey)
            else { continue }
            let rank = containerRank * 2 + typePreference
            // Candidates come in preference order, so only a strictly better rank replaces the choice.
            if best.map({ rank < $0.rank }) ?? true { best = (rank, term) }
        }
        return best?.term
    }

    /// How well a term's type mapping suits a node object or a plain IRI: a `@type: @id` term first
    /// (0), a term without type or language mapping next (1); any other term does not suit (`nil`).
    private func typePreference(of definition: TermDefinition) -> Int? {
        if definition.isReverse { return nil }
        switch definition.typeMapping {
        case "@id"?: return 0
        case "@none"?: return 1
        case .some: return nil
        case nil: return definition.language == nil && definition.direction == nil ? 1 : nil
        }
    }

    /// Rule 3: the shortest usable compact IRI, if any.
    private func compactIRIThroughPrefix(_ iri: String, position: CompactionPosition) -> String? {
        var choice: String?
        for prefix in prefixCandidates {
            guard let definition = terms[prefix], let prefixIRI = definition.iri, prefixIRI != iri,
                let suffix = JSONLDKeyword.remainder(of: iri, after: prefixIRI)
            else { continue }
            let candidate = prefix + ":" + suffix
            let usable =
                (definition.isPrefix && terms[candidate] == nil)
                || (position == .typeValue && terms[candidate]?.iri == iri)
            if usable, choice.map({ Self.precedesInPreference(candidate, $0) }) ?? true { choice = candidate }
        }
        return choice
    }
}
