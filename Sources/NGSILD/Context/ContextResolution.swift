import EntityModel

/// Flattens a `@context` value into the context objects to apply, in order, loading remote
/// documents and detecting cycles among them.
struct ContextResolution {
    /// One thing to do to the active context.
    enum Step {
        /// A `null` context: back to the empty context.
        case reset(source: String?)
        /// A context object, from the document at `source` (or inline when `nil`).
        case apply([String: JSON], source: String?, isCore: Bool)
    }

    let loader: any ContextLoader
    let configuration: ContextProcessor.Configuration
    private var referencesLoaded = 0

    init(loader: any ContextLoader, configuration: ContextProcessor.Configuration) {
        self.loader = loader
        self.configuration = configuration
    }

    /// The steps for `context`, found in the document chain `path` (outermost first; empty inline).
    mutating func steps(for context: JSON, referencedFrom path: [String]) async throws(NGSILDError) -> [Step] {
        switch context {
        case .array(let elements):
            var steps: [Step] = []
            for element in elements {
                if case .array = element { throw invalid("a @context array cannot contain an array", path) }
                steps += try await self.steps(for: element, referencedFrom: path)
            }
            return steps
        case .null:
            return [.reset(source: path.last)]
        case .string(let url):
            return try await steps(forReference: url, referencedFrom: path)
        case .object(var members):
            if let imported = members.removeValue(forKey: "@import") {
                members = try await importing(imported, into: members, referencedFrom: path)
            }
            return [.apply(members, source: path.last, isCore: false)]
        default:
            throw invalid("a @context must be a URL, an object, null or an array, found \(context.typeName)", path)
        }
    }

    private mutating func steps(forReference url: String, referencedFrom path: [String]) async throws(NGSILDError)
        -> [Step]
    {
        if CoreContext.isCoreURL(url) { return [.apply(CoreContext.definitions, source: url, isCore: true)] }
        let context = try await loadContext(url, referencedFrom: path)
        return try await steps(for: context, referencedFrom: path + [url])
    }

    /// `@import`: the members of the referenced context object, overridden by the importing ones.
    private mutating func importing(
        _ reference: JSON,
        into members: [String: JSON],
        referencedFrom path: [String]
    ) async throws(NGSILDError) -> [String: JSON] {
        guard case .string(let url) = reference else { throw invalid("@import must be a URL string", path) }
        let imported =
            CoreContext.isCoreURL(url)
            ? CoreContext.definitions : try await loadContext(url, referencedFrom: path).objectValue
        guard let imported, imported["@import"] == nil else {
            throw invalid("@import must name a document whose @context is one object without @import", path + [url])
        }
        return imported.merging(members) { _, own in own }
    }

    /// Loads a document's `@context`, refusing cycles, too deep nesting and too many loads.
    private mutating func loadContext(_ url: String, referencedFrom path: [String]) async throws(NGSILDError) -> JSON {
        guard JSONLDKeyword.isAbsoluteIRI(url) else {
            throw invalid("the context URL \"\(url)\" is not absolute", path)
        }
        if path.contains(url) {
            throw NGSILDError(
                .invalidContext,
                "the context references itself: \((path + [url]).joined(separator: " -> "))",
                url: url
            )
        }
        guard path.count < configuration.maximumReferenceDepth else {
            throw invalid("context references nest deeper than \(configuration.maximumReferenceDepth)", path + [url])
        }
        referencesLoaded += 1
        guard referencesLoaded <= configuration.maximumReferences else {
            throw invalid("a @context may load at most \(configuration.maximumReferences) documents", path + [url])
        }
        guard let context = try await loader.loadDocument(at: url)["@context"] else {
            throw NGSILDError(.contextNotAvailable, "the document has no @context member", url: url)
        }
        return context
    }

    private func invalid(_ message: String, _ path: [String]) -> NGSILDError {
        NGSILDError(.invalidContext, message, url: path.last)
    }
}
