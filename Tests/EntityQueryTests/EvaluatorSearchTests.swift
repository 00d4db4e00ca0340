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
}
