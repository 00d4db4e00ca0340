import EntityModel
import EntityQuery
import Testing

struct EvaluatorSearchTests {
    static let document = try! JSON(
        parsing: """
            {"id": "PRD-1", "name": "Crème Brûlée", "description": "Rich custard dessert-cake, 2024 edition",
             "status": "published", "price": 5, "details": {"origin": "Lyon"}}
            """
    )

    static let declared: [(String, Bool)] = [
        ("creme", true), ("CRÈ", true), ("brul cus", true), ("brul   cus", true), ("cake", true),
        ("dessert-cake", true), ("dessert-xyz", false), ("202", true), ("ustard", false), ("xyz", false),
        ("creme xyz", false), ("", true), ("  ", true), ("--", true), ("published", false), ("lyon", true),
        ("prd", false), ("5", false),
    ]

    @Test(arguments: declared)
    func matchesWordPrefixesOfDeclaredFields(search: String, expected: Bool) {
        let fields = ["name", "description", "details.origin"]
        #expect(Evaluator.matchesSearch(search, document: Self.document, searchFields: fields) == expected)
    }

    @Test(arguments: [("published", true), ("creme", true), ("prd", false), ("lyon", false), ("5", false)])
    func searchesTopLevelStringsExceptIdWithoutDeclaredFields(search: String, expected: Bool) {
        #expect(Evaluator.matchesSearch(search, document: Self.document, searchFields: []) == expected)
    }

    @Test func cutsTextIntoNormalizedWords() {
        #expect(Evaluator.searchWords("Crème-Brûlée, ÅNGSTRÖM 42x!") == ["creme", "brulee", "angstrom", "42x"])
    }

    /// ASCII texts take a shortcut; a trailing `·` (a separator outside ASCII) takes the general way.
    @Test func asciiTextsAreCutAsEveryOtherText() {
        for byte in UInt8(0)..<0x80 {
            let text = "Ab9" + String(UnicodeScalar(byte)) + "Zz0 x"
            #expect(Evaluator.searchWords(text) == Evaluator.searchWords(text + "·"), "byte \(byte)")
        }
        #expect(Evaluator.searchWords("Hello, World_42 a-b") == ["hello", "world", "42", "a", "b"])
    }

    @Test func searchNodesMatchAsTheQuerySearchDoes() {
        let fields = ["name", "description", "details.origin"]
        for (search, expected) in Self.declared {
            #expect(Evaluator.matches(.search(search), Self.document, searchFields: fields) == expected, "\(search)")
            #expect(Evaluator.matches(.not(.search(search)), Self.document, searchFields: fields) != expected)
        }
        #expect(Evaluator.matches(.search("published"), Self.document))
        #expect(!Evaluator.matches(.search("published"), Self.document, searchFields: ["name"]))
    }

    @Test func aPhraseIsAllItsWordsInAnyOrder() {
        #expect(Evaluator.matches(.search("brulee creme"), Self.document))
        #expect(Evaluator.matches(.search("creme edition"), Self.document))
        #expect(!Evaluator.matches(.search("creme tart"), Self.document))
    }

    @Test func searchNodesAreFalseInsideElementsAndRelatedEntities() {
        let document: JSON = ["id": "1", "tags": ["red"], "parent": "2"]
        let parent: JSON = ["id": "2", "title": "red"]
        #expect(!Evaluator.matches(.anyElement("tags", .arrayElements, where: .search("red")), document))
        #expect(Evaluator.matches(.anyElement("tags", .arrayElements, where: .not(.search("red"))), document))
        let relation = Relation(.reference("parent"), target: CollectionPath("items"))
        #expect(!Evaluator.matches(.related(relation, where: .search("red")), document) { _, _ in [parent] })
        #expect(Evaluator.matches(.related(relation, where: .not(.search("red"))), document) { _, _ in [parent] })
    }

    @Test func runPassesTheSearchFieldsToSearchNodes() {
        let documents: [JSON] = [["id": "1", "a": "red", "b": "blue"], ["id": "2", "a": "blue", "b": "red"]]
        let query = Query(filter: .or([.search("red"), .search("green")]))
        #expect(Evaluator.run(query, over: documents, searchFields: ["a"]).page.map { $0["id"] } == ["1"])
        #expect(Evaluator.run(query, over: documents, searchFields: []).total == 2)
    }
}
