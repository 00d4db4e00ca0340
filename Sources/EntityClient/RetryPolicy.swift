/// When a failed request is sent again, and how long the client waits before it does.
///
/// A request is retried only when sending it twice does no harm: `GET`, `HEAD`, `PUT` and `DELETE`, and any
/// request that carries an idempotency key. A `POST` without a key is never repeated. Retried failures
/// are connection errors and the statuses in ``retriedStatuses``; the wait doubles after each attempt
/// (with random jitter) and follows the server's `Retry-After` when it sends one.
///
/// ```swift
/// var retry = RetryPolicy()
/// retry.maximumRetries = 5
/// retry.initialBackoff = .milliseconds(100)
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// How many times one request is sent again at most. Default: 3; 0 turns retries off.
    public var maximumRetries: Int
    /// The wait before the first retry; each later wait doubles it. Default: 200 ms.
    public var initialBackoff: Duration
    /// The longest wait between two attempts. Default: 10 seconds.
    public var maximumBackoff: Duration
    /// The longest `Retry-After` the client is willing to honour; a server asking for more gets its error
    /// passed on instead. Default: 60 seconds.
    public var maximumRetryAfter: Duration
    /// The statuses that are retried. Default: 429, 502, 503 and 504.
    public var retriedStatuses: Set<Int>

    /// The defaults described on each property.
    public init(
        maximumRetries: Int = 3,
        initialBackoff: Duration = .milliseconds(200),
        maximumBackoff: Duration = .seconds(10),
        maximumRetryAfter: Duration = .seconds(60),
        retriedStatuses: Set<Int> = [429, 502, 503, 504]
    ) {
        self.maximumRetries = maximumRetries
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
        self.retriedStatuses = retriedStatuses
    }

    /// No retries at all.
    public static let none = RetryPolicy(maximumRetries: 0)

    /// The wait before retry number `attempt` (1 for the first retry): exponential backoff with "equal
    /// jitter", so waits spread out but never drop below half the exponential value.
    func backoff(beforeRetry attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let uncapped = initialBackoff * (1 << exponent)
        let capped = min(uncapped, maximumBackoff)
        let half = capped / 2
        let jitter = Double.random(in: 0...1)
        return half + half * jitter
    }
}
