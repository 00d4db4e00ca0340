import EntityModel
import Foundation

/// Serves context documents given in advance, by URL: what `--ngsild-context URL=FILE` configures,
/// so that known contexts work without the network. Other URLs go to a fallback loader, if any.
///
/// ```swift
/// let preloaded = try PreloadedContextLoader(
///     files: ["https://example.org/ctx.jsonld": "contexts/ctx.jsonld"],
///     fallback: HTTPContextLoader()
/// )
/// ```
public struct PreloadedContextLoader: ContextLoader {
    /// The documents served, by URL.
    public let documents: [String: JSON]
    private let fallback: (any ContextLoader)?

    /// Serves `documents` (each must have an `@context` member); asks `fallback` for other URLs.
    public init(documents: [String: JSON], fallback: (any ContextLoader)? = nil) {
        self.documents = documents
        self.fallback = fallback
    }

    /// Reads each file (at most `maximumSize` bytes of JSON with an `@context` member) for its URL.
    ///
    /// - Throws: ``NGSILDError/Code/contextNotAvailable`` naming the URL whose file cannot be used.
    public init(
        files: [String: String],
        fallback: (any ContextLoader)? = nil,
        maximumSize: Int = ContextDocumentLimits.defaultMaximumSize
    ) throws(NGSILDError) {
        var documents: [String: JSON] = [:]
        for (url, path) in files {
            documents[url] = try Self.read(path, for: url, maximumSize: maximumSize)
        }
        self.init(documents: documents, fallback: fallback)
    }

    /// The preloaded document for `url`, or the fallback's answer.
    public func loadDocument(at url: String) async throws(NGSILDError) -> JSON {
        if let document = documents[url] { return document }
        guard let fallback else {
            throw NGSILDError(.contextNotAvailable, "the context is not preloaded and cannot be downloaded", url: url)
        }
        return try await fallback.loadDocument(at: url)
    }

    /// Reads at most one byte more than `maximumSize`, so a larger file is refused without reading it all.
    private static func read(_ path: String, for url: String, maximumSize: Int) throws(NGSILDError) -> JSON {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw NGSILDError(.contextNotAvailable, "the preload file \(path) cannot be read", url: url)
        }
        return try ContextDocumentLimits.parse(data, url: url, maximumSize: maximumSize)
    }
}
