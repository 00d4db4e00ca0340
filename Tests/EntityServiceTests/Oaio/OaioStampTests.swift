import EntityService
import Foundation
import Testing

struct OaioStampTests {
    @Test(arguments: [
        "20221231111111012346", "20261124004339145703", "20240229235959999999", "19700101000000000000",
        "20991231235959000001",
    ])
    func readsAndWritesTheSameTwentyDigits(text: String) throws {
        let stamp = try #require(OaioStamp(text: text))
        #expect(stamp.description == text)
    }

    @Test func theOldestSyncStampIsTheClientsConstant() {
        #expect(OaioStamp.oldestSync.description == "20221231111111012345")
    }

    @Test func readsUTCTimeToTheMicrosecond() throws {
        let stamp = try #require(OaioStamp(text: "20261124004339145703"))
        let date = try #require(ISO8601DateFormatter().date(from: "2026-11-24T00:43:39Z"))
        #expect(stamp.microseconds == Int64(date.timeIntervalSince1970) * 1_000_000 + 145_703)
        #expect(OaioStamp(Date(timeIntervalSince1970: 1.5)).description == "19700101000001500000")
    }

    @Test(arguments: [
        "", "2026112400433914570", "202611240043391457031", "2026112400433914570x", "20261324004339145703",
        "20230229000000000000", "20261124244339145703", "20261124006039145703", "20261124004360145703",
        " 0261124004339145703", "２0261124004339145703",
    ])
    func refusesWhatIsNoStamp(text: String) {
        #expect(OaioStamp(text: text) == nil)
    }

    @Test func ordersAsTheTextDoesAndStepsOneMicrosecond() throws {
        let early = try #require(OaioStamp(text: "20261124004339999999"))
        let late = try #require(OaioStamp(text: "20261124004340000000"))
        #expect(early < late)
        #expect(early.next == late)
        #expect(early.description < late.description)
    }
}
