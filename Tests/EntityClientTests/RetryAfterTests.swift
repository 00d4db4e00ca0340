import Foundation
import Testing

@testable import EntityClient

@Suite struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test(arguments: [("0", Duration.zero), ("5", .seconds(5)), (" 7 ", .seconds(7)), ("86400", .seconds(86_400))])
    func secondsAreRead(header: String, wait: Duration) {
        #expect(RetryAfter.parse(header, now: Self.now) == wait)
    }

    @Test func anHTTPDateIsTheWaitUntilThen() {
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now: Self.now) == .seconds(30))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 08:28:00 GMT", now: Self.now) == .seconds(3600))
    }

    @Test func anHTTPDateInThePastMeansNoWait() {
        #expect(RetryAfter.parse("Tue, 20 Oct 2015 07:28:00 GMT", now: Self.now) == .zero)
    }

    @Test(arguments: ["", "-1", "1.5", "soon", "21 Oct 2015", "5s"])
    func anythingElseIsIgnored(header: String) {
        #expect(RetryAfter.parse(header, now: Self.now) == nil)
    }
}
