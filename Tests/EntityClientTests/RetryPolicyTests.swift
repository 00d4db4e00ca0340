import Testing

@testable import EntityClient

@Suite struct RetryPolicyTests {
    @Test(arguments: 1...8)
    func theWaitDoublesWithEachRetryWithinJitterAndCap(attempt: Int) {
        let policy = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2))
        let exponential = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(2))
        let waits = (0..<200).map { _ in policy.backoff(beforeRetry: attempt) }
        #expect(waits.allSatisfy { $0 >= exponential / 2 && $0 <= exponential })
        #expect(Set(waits).count > 1)
    }

    @Test(arguments: [0, 31, 64, 1_000, Int.max])
    func extremeAttemptsStayWithinTheBounds(attempt: Int) {
        let policy = RetryPolicy(initialBackoff: .milliseconds(200), maximumBackoff: .seconds(10))
        let wait = policy.backoff(beforeRetry: attempt)
        let ceiling: Duration = attempt <= 1 ? .milliseconds(200) : .seconds(10)
        #expect(wait >= ceiling / 2 && wait <= ceiling)
    }

    @Test func noneNeverRetries() {
        #expect(RetryPolicy.none.maximumRetries == 0)
        #expect(RetryPolicy().maximumRetries == 3)
        #expect(RetryPolicy().retriedStatuses == [429, 502, 503, 504])
    }
}
