import EntityModel
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Downloads context documents over HTTP(S) with Foundation's `URLSession`, within §2.4's limits.
///
/// It asks for `application/ld+json, application/json;q=0.9`, follows redirects, accepts any body
/// that parses as JSON with an `@context` member whatever its Content-Type, and stops reading at
/// ``Configuration/maximumDocumentSize``. Only `http` and `https` URLs are fetched, never files.
///
/// ```swift
/// let loader = CachingContextLoader(wrapping: HTTPContextLoader())
/// ```
public struct HTTPContextLoader: ContextLoader {
    /// Timeouts and the size limit.
    public struct Configuration: Sendable {
        /// The longest wait for the server while connecting, and between two pieces of the answer
        /// (URLSession has one idle timeout for both). Default 2 seconds.
        public var connectTimeout: Duration
        /// The longest a whole download may take. Default 5 seconds.
        public var totalTimeout: Duration
        /// The largest document accepted, in bytes. Default 1 MiB.
        public var maximumDocumentSize: Int

        /// Limits as documented on each property; the defaults are those of §2.4.
        public init(
            connectTimeout: Duration = .seconds(2),
            totalTimeout: Duration = .seconds(5),
            maximumDocumentSize: Int = ContextDocumentLimits.defaultMaximumSize
        ) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maximumDocumentSize = maximumDocumentSize
        }
    }

    /// The limits in use.
    public let configuration: Configuration

    /// A loader with the given limits.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Downloads `url`; fails with ``NGSILDError/Code/contextNotAvailable`` naming it.
    public func loadDocument(at url: String) async throws(NGSILDError) -> JSON {
        guard let address = URL(string: url), ["http", "https"].contains(address.scheme?.lowercased() ?? "") else {
            throw NGSILDError(.contextNotAvailable, "only http and https context URLs are downloaded", url: url)
        }
        var request = URLRequest(url: address)
        request.setValue("application/ld+json, application/json;q=0.9", forHTTPHeaderField: "Accept")
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = Self.seconds(configuration.connectTimeout)
        sessionConfiguration.timeoutIntervalForResource = Self.seconds(configuration.totalTimeout)
        let download = BoundedDownload(url: url, maximumSize: configuration.maximumDocumentSize)
        let body = try await download.run(request, configuration: sessionConfiguration).get()
        return try ContextDocumentLimits.parse(body, url: url, maximumSize: configuration.maximumDocumentSize)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
