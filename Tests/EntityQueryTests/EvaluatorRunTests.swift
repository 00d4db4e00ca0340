import EntityModel
import EntityQuery
import Testing

struct EvaluatorRunTests {
    static let documents: [JSON] = (1...25).map { index in
        [
            "id": .string("PRD-\(index < 10 ? "0" : "")\(index)"),
            "name": .string(index % 2 == 0 ? "Even widget \(index)" : "Odd gadget \(index)"),
            "price": .integer(Int64(100 - index)),
            "_meta": ["version": 1],
        ]
    }

    @Test func filtersSortsAndPages() throws {
        let request = try RQLParser().parse(
            queryString: "select(name)&ilike(name,even*)&ordering(price)&limit=5&offset=10"
        )
        let (page, total) = Evaluator.run(request.query(), over: Self.documents, searchFields: ["name"])
        #expect(total == 12)
        #expect(page.map { $0["id"]?.stringValue } == ["PRD-04", "PRD-02"])
        #expect(page.first?["price"] == nil)
        #expect(page.first?["name"] == "Even widget 4")
    }

    @Test func countsWithLimitZero() throws {
        let query = try RQLParser().parse(queryString: "search=gad&limit=0").query()
        let (page, total) = Evaluator.run(query, over: Self.documents, searchFields: [])
        #expect(page.isEmpty)
        #expect(total == 13)
    }

    @Test func returnsAnEmptyPageBeyondTheEnd() {
        let (page, total) = Evaluator.run(Query(limit: 10, offset: 30), over: Self.documents, searchFields: [])
        #expect(page.isEmpty)
        #expect(total == 25)
    }

    @Test func pagesCoverEveryDocumentExactlyOnce() {
        var seen: [String] = []
        for offset in stride(from: 0, to: 25, by: 7) {
            let query = Query(sort: [SortKey("name", descending: true)], limit: 7, offset: offset)
            seen += Evaluator.run(query, over: Self.documents, searchFields: []).page.compactMap {
                $0["id"]?.stringValue
            }
        }
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
    }
}
