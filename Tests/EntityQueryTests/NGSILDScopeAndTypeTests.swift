import EntityQuery
import Testing

private func scope(_ levels: NGSILDScopePattern.Level..., descendants: Bool = false) -> NGSILDScopeQuery {
    .term(NGSILDScopePattern(levels: levels, includesDescendants: descendants))
}

struct NGSILDScopeQueryTests {
    static let queries: [(String, NGSILDScopeQuery)] = [
        ("/Madrid", scope(.name("Madrid"))),
        ("/Madrid/Gardens/ParqueNorte", scope(.name("Madrid"), .name("Gardens"), .name("ParqueNorte"))),
        ("/Madrid/#", scope(.name("Madrid"), descendants: true)),
        ("/#", scope(descendants: true)),
        ("/Madrid/+/Parterre1", scope(.name("Madrid"), .anyLevel, .name("Parterre1"))),
        ("/+", scope(.anyLevel)),
        ("/+/#", scope(.anyLevel, descendants: true)),
        ("/a;/b", .and([scope(.name("a")), scope(.name("b"))])),
        ("/a|/b", .or([scope(.name("a")), scope(.name("b"))])),
        ("/a,/b", .or([scope(.name("a")), scope(.name("b"))])),
        ("(/a;/b)|/c/#", .or([.and([scope(.name("a")), scope(.name("b"))]), scope(.name("c"), descendants: true)])),
        ("/a|/b;/c", .or([scope(.name("a")), .and([scope(.name("b")), scope(.name("c"))])])),
        ("/Straße_1/東京", scope(.name("Straße_1"), .name("東京"))),
    ]

    @Test(arguments: queries)
    func parsesScopeQueries(text: String, expected: NGSILDScopeQuery) throws {
        #expect(try NGSILDQueryParser().parseScopeQuery(text) == expected)
    }

    @Test func writesTheScopeQueryBack() throws {
        for text in ["/Madrid/#;/CompanyA/+/UnitC", "(/a|/b);/c", "/#"] {
            #expect(try NGSILDQueryParser().parseScopeQuery(text).description == text)
        }
        #expect(try NGSILDQueryParser().parseScopeQuery("/a,/b").description == "/a|/b")
    }
}

struct NGSILDTypeSelectionTests {
    static let selections: [(String, NGSILDTypeSelection)] = [
        ("Building", .term("Building")),
        ("Building,Vehicle", .or([.term("Building"), .term("Vehicle")])),
        ("Building|Vehicle", .or([.term("Building"), .term("Vehicle")])),
        ("(Building;Landmark)", .and([.term("Building"), .term("Landmark")])),
        ("(Building;Landmark),Vehicle", .or([.and([.term("Building"), .term("Landmark")]), .term("Vehicle")])),
        ("Vehicle|(Building;Landmark)", .or([.term("Vehicle"), .and([.term("Building"), .term("Landmark")])])),
        ("https://example.org/ns#Building", .term("https://example.org/ns#Building")),
        (
            "https://uri.etsi.org/ngsi-ld/default-context/Vehicle,ngsi-ld:Building",
            .or([.term("https://uri.etsi.org/ngsi-ld/default-context/Vehicle"), .term("ngsi-ld:Building")])
        ),
        ("(urn:x:A;B)", .and([.term("urn:x:A"), .term("B")])),
        ("Bâtiment_2", .term("Bâtiment_2")),
    ]

    @Test(arguments: selections)
    func parsesTypeSelections(text: String, expected: NGSILDTypeSelection) throws {
        #expect(try NGSILDQueryParser().parseTypeSelection(text) == expected)
    }
}

struct NGSILDScopeAndTypeErrorTests {
    static let malformed: [(String, String, Int, String)] = [
        ("scopeQ", "", 0, "expected '/' to start a scope"),
        ("scopeQ", "Madrid", 0, "expected '/' to start a scope"),
        ("scopeQ", "/", 1, "expected a scope level"),
        ("scopeQ", "/a/", 3, "expected a scope level"),
        ("scopeQ", "/a//b", 3, "expected a scope level"),
        ("scopeQ", "/1a", 1, "a scope level must start with a letter"),
        ("scopeQ", "/a/#/b", 4, "'#' must be the last level of a scope"),
        ("scopeQ", "/a b", 2, "expected ';', '|' or ',', found ' '"),
        ("scopeQ", "/a+", 2, "expected ';', '|' or ',', found '+'"),
        ("scopeQ", "(/a;/b", 6, "expected ')'"),
        ("scopeQ", "/a)", 2, "')' without a matching '('"),
        ("scopeQ", "/a;", 3, "expected '/' to start a scope"),
        ("type", "", 0, "expected an entity type"),
        ("type", "*", 0, "expected an entity type"),
        ("type", "A,", 2, "expected an entity type"),
        ("type", "A B", 1, "unexpected ' ' in an entity type"),
        ("type", "A-B", 1, "unexpected '-' in an entity type"),
        ("type", "1A", 0, "an entity type must start with a letter"),
        ("type", "(A;B", 4, "expected ')'"),
        ("type", "A)", 1, "')' without a matching '('"),
        ("type", "http://a b", 8, "' ' cannot be part of an entity type"),
        ("type", ":A", 0, "expected an entity type"),
        ("type", "(A;B)C", 5, "expected ';', '|' or ',', found 'C'"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedInputAtTheRightPosition(parameter: String, text: String, position: Int, message: String) {
        #expect(ngsildError(parameter, text)?.description == "\(parameter): \(message) at position \(position)")
    }

    @Test func namesAndIRIsOfTypesAndScopesAreInvalidNames() {
        #expect(ngsildError("type", "http://a b")?.code == .invalidName)
        #expect(ngsildError("type", "1A")?.code == .invalidName)
        #expect(ngsildError("scopeQ", "/1a")?.code == .invalidName)
        #expect(ngsildError("q", "a==urn:a b")?.code == .invalidValue)
    }
}
