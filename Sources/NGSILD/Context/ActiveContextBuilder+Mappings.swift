import EntityModel

extension ActiveContextBuilder {
    /// The `@container` keywords JSON-LD 1.1 knows.
    private static let containerKeywords: Set<String> = [
        "@list", "@set", "@index", "@language", "@graph", "@id", "@type",
    ]

    /// Adds the mappings besides the IRI: `@type`, `@container`, `@index`, `@context`, `@language`,
    /// `@prefix`, `@direction` and `@nest`.
    mutating func addMappings(
        _ members: [String: JSON],
        to definition: inout TermDefinition,
        term: String,
        in local: inout LocalContext
    ) throws(NGSILDError) {
        if let type = members["@type"] { definition.typeMapping = try typeMapping(type, term: term, in: &local) }
        if let container = members["@container"] {
            try addContainer(container, to: &definition, term: term, in: local)
        }
        if let index = members["@index"] {
            guard definition.container.contains("@index"), let text = index.stringValue, !text.hasPrefix("@") else {
                throw local.error(term: term, "@index needs an @index container and must be a non-keyword string")
            }
            definition.index = text
        }
        if let scoped = members["@context"] {
            guard local.allowsScopedContexts else {
                throw local.error(
                    term: term,
                    "scoped contexts (an @context inside a term definition) are not supported"
                )
            }
            definition.scopedContext = scoped
        }
        if let language = members["@language"], members["@type"] == nil {
            guard language == .null || language.stringValue != nil else {
                throw local.error(term: term, "@language must be a string or null")
            }
            definition.language = .some(language.stringValue?.lowercased())
        }
        try addPrefixFlag(members["@prefix"], to: &definition, term: term, in: local)
        if let direction = members["@direction"] {
            guard [.null, "ltr", "rtl"].contains(direction) else {
                throw local.error(term: term, "@direction must be null, \"ltr\" or \"rtl\"")
            }
            definition.direction = .some(direction.stringValue)
        }
        if let nest = members["@nest"] {
            guard let text = nest.stringValue, text == "@nest" || !text.hasPrefix("@") else {
                throw local.error(term: term, "@nest must be a string that is no keyword other than @nest")
            }
            definition.nest = text
        }
        if definition.iri == "@context" || definition.iri == "@preserve" {
            throw local.error(term: term, "@context and @preserve cannot be aliased")
        }
    }

    /// `@type`: `@id`, `@vocab`, `@json`, `@none`, or a name that expands to an absolute IRI.
    private mutating func typeMapping(_ value: JSON, term: String, in local: inout LocalContext) throws(NGSILDError)
        -> String
    {
        guard case .string(let text) = value else { throw local.error(term: term, "@type must be a string") }
        if ["@id", "@vocab", "@json", "@none"].contains(text) { return text }
        guard let iri = try expandIRI(text, in: &local), JSONLDKeyword.isAbsoluteIRI(iri), !iri.hasPrefix("_:") else {
            throw local.error(term: term, "@type \"\(text)\" is not an absolute IRI")
        }
        return iri
    }

    private func addContainer(
        _ value: JSON,
        to definition: inout TermDefinition,
        term: String,
        in local: LocalContext
    ) throws(NGSILDError) {
        let elements = value.arrayValue ?? [value]
        let container = elements.compactMap(\.stringValue)
        let hasSet = container.contains("@set")
        var isValid = container.count == elements.count && container.allSatisfy(Self.containerKeywords.contains)
        if container.contains("@list") {
            isValid = isValid && container.count == 1
        } else if container.contains("@graph") {
            isValid = isValid && container.allSatisfy(["@graph", "@id", "@index", "@set"].contains)
        } else {
            isValid = isValid && container.count <= (hasSet ? 2 : 1)
        }
        if definition.isReverse { isValid = isValid && container.allSatisfy(["@index", "@set"].contains) }
        guard isValid else { throw local.error(term: term, "@container \(value) is not a valid container") }
        if container.contains("@type") {
            definition.typeMapping = definition.typeMapping ?? "@id"
            guard definition.typeMapping == "@id" || definition.typeMapping == "@vocab" else {
                throw local.error(term: term, "an @type container needs @type @id or @vocab")
            }
        }
        definition.container = container
    }

    /// `@prefix`: only on a term without `:` or `/`, not mapped to a keyword; a boolean.
    private func addPrefixFlag(
        _ value: JSON?,
        to definition: inout TermDefinition,
        term: String,
        in local: LocalContext
    ) throws(NGSILDError) {
        guard let value else { return }
        guard !term.contains(":"), !term.contains("/") else {
            throw local.error(term: term, "@prefix cannot be used on a compact IRI term")
        }
        if let iri = definition.iri, JSONLDKeyword.isKeyword(iri) {
            throw local.error(term: term, "a keyword cannot be a prefix")
        }
        guard case .bool(let flag) = value else { throw local.error(term: term, "@prefix must be a boolean") }
        definition.isPrefix = flag
    }
}
