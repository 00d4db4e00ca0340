import EntityModel

/// Turns a request's `@context` into its active context: the user contexts in order (remote ones
/// loaded through a ``ContextLoader``), then the NGSI-LD core context, which is protected and so
/// always wins (§2.3, §2.4).
///
/// ```swift
/// let processor = ContextProcessor(loader: CachingContextLoader(wrapping: preloaded))
/// let context = try await processor.activeContext(for: ["https://example.org/ctx.jsonld", ["speed": "ex:speed"]])
/// try context.expandAttributeName("speed")
/// ```
public struct ContextProcessor: Sendable {
    /// Bounds on the work one `@context` may cause.
    public struct Configuration: Sendable {
        /// How deep context documents may reference further documents. Default 8.
        public var maximumReferenceDepth: Int
        /// How many remote documents one `@context` may load in all. Default 32.
        public var maximumReferences: Int

        /// Bounds as documented on each property.
        public init(maximumReferenceDepth: Int = 8, maximumReferences: Int = 32) {
            self.maximumReferenceDepth = maximumReferenceDepth
            self.maximumReferences = maximumReferences
        }
    }

    private let loader: any ContextLoader
    private let configuration: Configuration

    /// A processor that loads remote contexts with `loader`.
    public init(loader: any ContextLoader, configuration: Configuration = .init()) {
        self.loader = loader
        self.configuration = configuration
    }

    /// The active context for a `@context` value (a URL string, a context object, or an array of
    /// them), or for none (`nil`): the core context alone.
    ///
    /// - Throws: ``NGSILDError/Code/contextNotAvailable`` when a remote context cannot be loaded;
    ///   ``NGSILDError/Code/invalidContext`` when a context is invalid, references itself in a cycle or
    ///   nests references too deeply.
    public func activeContext(for context: JSON?) async throws(NGSILDError) -> ActiveContext {
        guard let context else { return .core }
        var resolution = ContextResolution(loader: loader, configuration: configuration)
        let steps = try await resolution.steps(for: context, referencedFrom: [])
        var builder = ActiveContextBuilder(startingFrom: .empty)
        for step in steps {
            switch step {
            case .reset(let source): try builder.reset(source: source)
            case .apply(let members, let source, let isCore):
                try builder.apply(members, source: source, isCore: isCore)
            }
        }
        try builder.apply(CoreContext.definitions, source: CoreContext.versionedURL, isCore: true)
        return builder.context
    }
}
