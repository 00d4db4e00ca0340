import Testing

@testable import EntityQuery

/// The OASIS OData ABNF test cases: positives parse, negatives fail (at `FailAt` where we can),
/// with the name model of the file's `Constraints` block.
struct ODataABNFTests {
    static let parser = ODataParser(names: ODataABNF.names, plusIsSpace: false)

    /// Positive cases that do not parse, with the reason (`rule|input`).
    static let knownPositiveFailures: [String: String] = [
        "odataRelativeUri|TheMostPopularName()": noPrimitiveFunctionImports,
        "odataRelativeUri|TheMostPopularName()/$value": noPrimitiveFunctionImports,
    ]
    static let noPrimitiveFunctionImports =
        "the Constraints block lists no primitiveFunctionImport, so the model has none; the ABNF tool"
        + " lets any identifier be a name of a kind the block does not list"
    /// Negative cases that parse, with the reason.
    static let knownNegativeFailures: [String: String] = [:]

    @Test func theFileLoadsWithEveryScalarAsAString() {
        let cases = ODataABNF.cases
        #expect(cases.count == 782)
        #expect(ODataABNF.positives.count == 705)
        #expect(ODataABNF.negatives.count == 77)
        // YAML 1.1 would have turned these into a date, a base-60 number and a split scalar.
        #expect(cases.contains { $0.rule == "date" && $0.input == "2012-09-03" })
        #expect(cases.contains { $0.rule == "timeOfDayValue" && $0.input == "11:22:33" })
        #expect(cases.contains { $0.rule == "orderby" && $0.input == "$orderby=Name\tasc" })
        #expect(ODataABNF.names.entitySetNames.contains("Products"))
        #expect(ODataABNF.names.keyPathLiterals?.contains("O'Neil") == true)
    }

    @Test func everyRuleOfTheFileHasAnEntryPoint() {
        let unknown = Set(ODataABNF.cases.map(\.canonicalRule)).filter { !ODataParser.knowsABNFRule($0) }
        #expect(unknown.isEmpty)
    }

    @Test(arguments: ODataABNF.positives)
    func positiveCaseParses(_ testCase: ODataABNFCase) {
        let result = Result { () throws(ODataQueryError) in
            try Self.parser.parse(abnfRule: testCase.canonicalRule, testCase.input)
        }
        if let reason = Self.knownPositiveFailures[testCase.key] {
            withKnownIssue(Comment(rawValue: reason)) {
                try result.get()
            }
        } else {
            #expect(throws: Never.self) { try result.get() }
        }
    }

    @Test(arguments: ODataABNF.negatives)
    func negativeCaseFails(_ testCase: ODataABNFCase) {
        let result = Result { () throws(ODataQueryError) in
            try Self.parser.parse(abnfRule: testCase.canonicalRule, testCase.input)
        }
        if let reason = Self.knownNegativeFailures[testCase.key] {
            withKnownIssue(Comment(rawValue: reason)) {
                #expect(throws: ODataQueryError.self) { try result.get() }
            }
        } else {
            #expect(throws: ODataQueryError.self) { try result.get() }
        }
    }

    /// Negative cases whose error position differs from `FailAt` (`rule|input` → our position).
    /// The ABNF tool reports where its farthest alternative stopped, after a name that does not
    /// fit the model; these report the start of the name, or another alternative's stop.
    static let differentFailurePositions: [String: Int] = [
        // A value that is no literal: we stop where the value starts, the tool after `wrong`.
        "resourcePath|Categories(ID=wrong)": 14,
        // Unknown names: we point at the name's start, the tool at its end (or past `()`).
        "odataRelativeUri|Model.Rejection": 0,
        "odataRelativeUri|Categories/TheBestProduct()": 11,
        "odataRelativeUri|Products(1)/Model.BestSellingProduct/Model.BestSellingProduct": 37,
        "queryOptions|$search=more&more": 13,
        // The tool reads the space as the start of a JSON array (`begin-array = BWS "["`).
        "filter|$filter= true": 8,
        // any/all without a collection: we reject the name, the tool the `(` after it.
        "boolCommonExpr|any()": 0,
        "boolCommonExpr|all(lambda:true)": 0,
        // all() without a variable: we stop at the `)`, the tool after it.
        "boolCommonExpr|Products/all()": 13,
    ]

    @Test(arguments: ODataABNF.negatives)
    func negativeCaseFailsAtTheExpectedPosition(_ testCase: ODataABNFCase) throws {
        guard Self.knownNegativeFailures[testCase.key] == nil, let failAt = testCase.failAt else { return }
        let expected = Self.differentFailurePositions[testCase.key] ?? failAt
        do {
            try Self.parser.parse(abnfRule: testCase.canonicalRule, testCase.input)
        } catch {
            #expect(error.position == expected, "\(error)")
        }
    }
}
