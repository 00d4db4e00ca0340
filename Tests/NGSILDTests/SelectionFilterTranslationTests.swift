import EntityModel
import EntityQuery
import NGSILD
import Testing

/// Type selections, `scopeQ`, `id` and `idPattern` translated and evaluated over stored entities.
struct SelectionFilterTranslationTests {
    let translator = QueryFilterFixtures.translator

    @Test(arguments: [
        ("Building", ["E1", "E2"]),
        ("Car", ["E2", "E3"]),
        ("https://example.org/ctx#Car", ["E2", "E3"]),
        ("Building,Car", ["E1", "E2", "E3"]),
        ("Building|Vehicle", ["E1", "E2", "E4"]),
        ("(Building;Car)", ["E2"]),
        ("(Building;Car),Vehicle", ["E2", "E4"]),
        ("Unknown", []),
    ])
    func typeSelections(_ text: String, _ expected: [String]) throws {
        let selection = try NGSILDQueryParser().parseTypeSelection(text)
        #expect(QueryFilterFixtures.ids(try translator.filter(for: selection)) == expected)
    }

    @Test(arguments: [
        ("/Madrid", ["E2"]),
        ("/Madrid/#", ["E1", "E2"]),
        ("/Madrid/Gardens", ["E1"]),
        ("/+/Gardens", ["E1"]),
        ("/+/Gardens/#", ["E1", "E3"]),
        ("/CompanyA/+/UnitC", ["E2"]),
        ("/CompanyA/+", []),
        ("/#", ["E1", "E2", "E3"]),
        ("/Madrid/#;/CompanyA/+/UnitC", ["E2"]),
        ("/Paris/Gardens|/Madrid/Gardens", ["E1"]),
        ("/Paris/Gardens/#,/CompanyA/#", ["E2", "E3"]),
    ])
    func scopeQueries(_ text: String, _ expected: [String]) throws {
        let scopes = try NGSILDQueryParser().parseScopeQuery(text)
        #expect(QueryFilterFixtures.ids(translator.filter(for: scopes)) == expected)
    }

    @Test func idsAndIDPatterns() throws {
        #expect(
            QueryFilterFixtures.ids(translator.filter(forIDs: ["urn:ngsi-ld:E1", "urn:ngsi-ld:E3", "x"])) == [
                "E1", "E3",
            ]
        )
        #expect(QueryFilterFixtures.ids(translator.filter(forIDs: [])) == [])
        let pattern = try NGSILDQueryParser().parsePattern("^urn:ngsi-ld:E[2-4]$")
        #expect(QueryFilterFixtures.ids(translator.filter(forIDPattern: pattern)) == ["E2", "E3", "E4"])
        let search = try NGSILDQueryParser().parsePattern("E1|E5")
        #expect(QueryFilterFixtures.ids(translator.filter(forIDPattern: search)) == ["E1", "E5"])
    }
}
