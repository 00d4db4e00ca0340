import Testing

@testable import EntityClient

@Suite struct ContentRangeTests {
    @Test(
        arguments: [
            ("items 0-9/25", 0, 9, 25),
            ("items 0-0/0", 0, 0, 0),
            ("items 20-24/25", 20, 24, 25),
            ("items 5-5/3", 5, 5, 3),
        ]
    )
    func aWellFormedHeaderIsRead(header: String, first: Int, last: Int, total: Int) throws {
        let range = try #require(ContentRange(header))
        #expect(range.first == first)
        #expect(range.last == last)
        #expect(range.total == total)
    }

    @Test func anUnknownTotalIsReadAsNil() throws {
        let range = try #require(ContentRange("items 0-999/*"))
        #expect(range.last == 999)
        #expect(range.total == nil)
    }

    @Test(
        arguments: [
            "", "items", "items 0-9/**", "items *-9/10", "items 0-9", "items 0-9/", "bytes 0-9/25", "items 0-9/25/3",
            "items a-b/c", "items 0--1/0",
            "items -1-5/10", "items 0-9/-25", "items +1-2/3", "items 0-9-3/10",
        ]
    )
    func aMalformedHeaderIsRefused(header: String) {
        #expect(ContentRange(header) == nil)
    }
}
