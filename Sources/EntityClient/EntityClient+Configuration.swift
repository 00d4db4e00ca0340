import AsyncHTTPClient
import Foundation
import Logging

extension EntityClient {
    /// How an ``EntityClient`` sends its requests.
    ///
    /// ```swift
    /// var configuration = EntityClient.Configuration()
    /// configuration.timeout = .seconds(5)
    /// configuration.retry.maximumRetries = 5
    /// configuration.defaultHeaders = ["X-Tenant": "acme"]
    /// let client = try EntityClient(endpoint: "http://127.0.0.1:8080", configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// The longest one attempt of a request may take, from sending it to reading the whole answer.
        /// Default: 30 seconds. A request that times out is not retried.
        public var timeout: Duration

        /// When and how failed requests are sent again. Default: ``RetryPolicy/init()``.
        public var retry: RetryPolicy

        /// Headers sent with every request, such as a tenant or a tracing header. Default: none.
        public var defaultHeaders: [String: String]

        /// How many entities a ``ResourceSet`` asks for per page while iterating. Default: 100; the
        /// server's maximum is usually 1,000.
        public var pageSize: Int

        /// The `User-Agent` header. Default: `EntityClient/1 Swift`.
        public var userAgent: String

        /// The largest answer the client reads; a larger one fails with
        /// ``EntityClientError/Code/responseTooLarge``. Default: 64 MiB.
        public var maximumResponseSize: Int

        /// Where the client logs each request and retry (at `debug` and `info`). Default: a logger that
        /// discards everything.
        public var logger: Logger

        /// The HTTP client to send requests with. Default: `nil`, which uses a process-wide client configured
        /// as `HTTPClient.shared` but failing refused connections at once, so that ``retry`` decides whether
        /// to try again. Pass your own to control connection pooling, proxies or TLS; you keep the duty to
        /// shut it down, and should set its `connectionPool.retryConnectionEstablishment` to `false` for the same
        /// reason.
        public var httpClient: HTTPClient?

        /// How values are encoded for typed calls such as `create(product)`. Default: a `JSONEncoder`
        /// writing dates as ISO 8601 with milliseconds.
        public var encoder: JSONEncoder

        /// How answers are decoded for typed calls such as `get(as: Product.self)`. Default: a `JSONDecoder`
        /// reading ISO 8601 dates with or without fractional seconds.
        public var decoder: JSONDecoder

        /// The defaults described on each property.
        public init(
            timeout: Duration = .seconds(30),
            retry: RetryPolicy = RetryPolicy(),
            defaultHeaders: [String: String] = [:],
            pageSize: Int = 100,
            userAgent: String = "EntityClient/1 Swift",
            maximumResponseSize: Int = 64 * 1024 * 1024,
            logger: Logger = Logger(label: "EntityClient", factory: { _ in SwiftLogNoOpLogHandler() }),
            httpClient: HTTPClient? = nil,
            encoder: JSONEncoder = EntityCoding.makeEncoder(),
            decoder: JSONDecoder = EntityCoding.makeDecoder()
        ) {
            self.timeout = timeout
            self.retry = retry
            self.defaultHeaders = defaultHeaders
            self.pageSize = pageSize
            self.userAgent = userAgent
            self.maximumResponseSize = maximumResponseSize
            self.logger = logger
            self.httpClient = httpClient
            self.encoder = encoder
            self.decoder = decoder
        }
    }
}
