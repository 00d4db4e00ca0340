import EntityModel

/// Obtains the JSON document of a remote `@context` URL.
///
/// EntityHub chains loaders: ``PreloadedContextLoader`` (the `--ngsild-context URL=FILE` map), falling
/// back to ``HTTPContextLoader``, behind a ``CachingContextLoader``. Core context URLs never reach a
/// loader: ``ContextProcessor`` knows them offline.
///
/// ```swift
/// struct FixedLoader: ContextLoader {
///     func loadDocument(at url: String) async throws(NGSILDError) -> JSON {
///         ["@context": ["speed": "https://example.org/speed"]]
///     }
/// }
/// ```
public protocol ContextLoader: Sendable {
    /// The document at `url`: a JSON object whose `@context` member holds the context.
    ///
    /// - Throws: ``NGSILDError/Code/contextNotAvailable`` naming `url` when it cannot be obtained.
    func loadDocument(at url: String) async throws(NGSILDError) -> JSON
}

/// Limits every loader applies to one context document.
public enum ContextDocumentLimits {
    /// The largest context document accepted, in bytes (1 MiB; the core context is 12.7 KB).
    public static let defaultMaximumSize = 1 << 20
    /// The deepest nesting of arrays and objects accepted in a context document.
    public static let maximumNestingDepth = 32

    /// Parses a downloaded or read document, refusing one larger than `maximumSize`.
    static func parse(_ bytes: some Collection<UInt8>, url: String, maximumSize: Int) throws(NGSILDError) -> JSON {
        guard bytes.count <= maximumSize else {
            throw NGSILDError(.contextNotAvailable, "the document is larger than \(maximumSize) bytes", url: url)
        }
        let document: JSON
        do {
            document = try JSON(parsing: bytes, maximumDepth: maximumNestingDepth)
        } catch {
            throw NGSILDError(.contextNotAvailable, "the document is not JSON (\(error))", url: url)
        }
        guard document["@context"] != nil else {
            throw NGSILDError(.contextNotAvailable, "the document has no @context member", url: url)
        }
        return document
    }
}
