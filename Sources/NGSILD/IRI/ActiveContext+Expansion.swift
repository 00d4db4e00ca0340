extension ActiveContext {
    /// Expands a name used as a property or type (JSON-LD IRI expansion relative to the vocabulary),
    /// following §2.5:
    ///
    /// 1. a term of the context expands to its IRI (`nil` for a term mapped to `null`);
    /// 2. `prefix:suffix` with a prefix term of the context concatenates, unless the prefix is `_` or
    ///    the suffix starts with `//`;
    /// 3. another absolute IRI (`scheme:…`) is kept;
    /// 4. anything else is appended to ``vocabulary`` (the default context, with the core context).
    ///
    /// Keywords are returned as they are; text of a keyword's form that is no keyword (`@foo`) gives `nil`.
    ///
    /// ```swift
    /// ActiveContext.core.expandIRI("ngsi-ld:location")   // "https://uri.etsi.org/ngsi-ld/location"
    /// ActiveContext.core.expandIRI("speed")   // "https://uri.etsi.org/ngsi-ld/default-context/speed"
    /// ```
    public func expandIRI(_ name: String) -> String? {
        Self.expandIRI(name, terms: terms, vocabulary: vocabulary)
    }

    /// The expansion of ``expandIRI(_:)`` over given terms; context processing uses it while the
    /// terms are still being defined.
    static func expandIRI(_ name: String, terms: [String: TermDefinition], vocabulary: String?) -> String? {
        if JSONLDKeyword.isKeyword(name) { return name }
        if JSONLDKeyword.isReservedForm(name) { return nil }
        if let definition = terms[name] { return definition.iri }
        if let (prefix, suffix) = JSONLDKeyword.splitCompactIRI(name) {
            if prefix == "_" || suffix.hasPrefix("//") { return name }
            if let definition = terms[prefix], definition.isPrefix, let iri = definition.iri { return iri + suffix }
            if JSONLDKeyword.isAbsoluteIRI(name) { return name }
        }
        if let vocabulary { return vocabulary + name }
        return name
    }

    /// Expands an attribute or sub-attribute name: ``expandIRI(_:)``, which must give an absolute IRI.
    ///
    /// - Throws: ``NGSILDError/Code/invalidDocument`` when the name expands to a keyword, to nothing
    ///   (a term mapped to `null`, `@foo`) or to no absolute IRI (e.g. it contains a space).
    public func expandAttributeName(_ name: String) throws(NGSILDError) -> String {
        try expandToIRI(name, role: "attribute name")
    }

    /// Expands an entity type (or a VocabProperty `vocab` value): ``expandIRI(_:)``, which must give an
    /// absolute IRI. A type that expands to a keyword, as `"type"` does to `@type`, is rejected.
    ///
    /// - Throws: ``NGSILDError/Code/invalidDocument`` naming the type.
    public func expandType(_ type: String) throws(NGSILDError) -> String {
        try expandToIRI(type, role: "type")
    }

    private func expandToIRI(_ name: String, role: String) throws(NGSILDError) -> String {
        guard let iri = expandIRI(name) else {
            throw NGSILDError(.invalidDocument, "\(role) \"\(name)\" expands to no IRI")
        }
        if JSONLDKeyword.isKeyword(iri) {
            throw NGSILDError(.invalidDocument, "\(role) \"\(name)\" expands to the JSON-LD keyword \(iri)")
        }
        guard JSONLDKeyword.isAbsoluteIRI(iri) else {
            throw NGSILDError(.invalidDocument, "\(role) \"\(name)\" does not expand to an absolute IRI")
        }
        return iri
    }
}
