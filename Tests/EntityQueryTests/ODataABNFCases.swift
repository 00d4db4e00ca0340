import Foundation
import Testing
import Yams

@testable import EntityQuery

/// One case of the OASIS OData ABNF test cases (`../shared/data/odata-abnf-testcases.yaml`).
struct ODataABNFCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// The rule as the file names it, and the canonical rule (`boolcommonExpr` → `boolCommonExpr`).
    let rule: String
    let canonicalRule: String
    let input: String
    /// The character position where the input stops matching, for negative cases.
    let failAt: Int?

    var testDescription: String { "\(rule) ‹\(input)›" }
    /// `rule|input`, as the known-failure lists spell cases.
    var key: String { "\(rule)|\(input)" }
}

/// The test cases and the name model of their `Constraints` block, loaded with every scalar kept
/// as a string (reference §1.4: YAML 1.1 resolvers would turn `2012-09-03` into a date and
/// `11:22:33` into 40953; the file also holds a TAB inside a plain scalar, which libyaml accepts).
enum ODataABNF {
    /// Rules left out: context URLs a server only writes, whole header lines, batch ids.
    static let excludedRules: Set<String> = ["context", "header", "request-id"]
    /// Spellings of rule names in the file that stand for another rule.
    static let ruleVariants = ["boolcommonExpr": "boolCommonExpr", "orderBy": "orderby"]

    static let fileURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/odata-abnf-testcases.yaml")

    struct Loaded: Sendable {
        let cases: [ODataABNFCase]
        let names: ODataNameModel
        let constraintKinds: [String]
    }

    static let loaded: Loaded = {
        do {
            return try load()
        } catch {
            fatalError("cannot load \(fileURL.path): \(error)")
        }
    }()

    static var cases: [ODataABNFCase] { loaded.cases }
    static var positives: [ODataABNFCase] { cases.filter { $0.failAt == nil } }
    static var negatives: [ODataABNFCase] { cases.filter { $0.failAt != nil } }
    static var names: ODataNameModel { loaded.names }

    private static func load() throws -> Loaded {
        let text = try String(contentsOf: fileURL, encoding: .utf8)
        guard let document = try Yams.compose(yaml: text) else { throw CocoaError(.fileReadCorruptFile) }
        var names = ODataNameModel()
        var kinds: [String] = []
        for (kindNode, valuesNode) in document["Constraints"]?.mapping ?? [:] {
            guard let kind = kindNode.scalar?.string else { continue }
            kinds.append(kind)
            let values = Set((valuesNode.sequence ?? []).compactMap { $0.scalar?.string })
            try assign(values, to: kind, in: &names)
        }
        var cases: [ODataABNFCase] = []
        for caseNode in document["TestCases"]?.sequence ?? [] {
            let mapping = caseNode
            guard let rule = mapping["Rule"]?.scalar?.string, let input = mapping["Input"]?.scalar?.string
            else { continue }
            guard !excludedRules.contains(rule) else { continue }
            cases.append(
                ODataABNFCase(
                    name: mapping["Name"]?.scalar?.string ?? "",
                    rule: rule,
                    canonicalRule: ruleVariants[rule] ?? rule,
                    input: input,
                    failAt: mapping["FailAt"]?.scalar.flatMap { Int($0.string) }
                )
            )
        }
        return Loaded(cases: cases, names: names, constraintKinds: kinds)
    }

    struct UnknownConstraintKind: Error { let kind: String }

    /// Fills the model property for one kind of the `Constraints` block.
    static func assign(_ values: Set<String>, to kind: String, in names: inout ODataNameModel) throws {
        let paths: [String: WritableKeyPath<ODataNameModel, Set<String>>] = [
            "action": \.actions, "actionImport": \.actionImports,
            "complexColProperty": \.complexColProperties, "complexColFunction": \.complexColFunctions,
            "complexColFunctionImport": \.complexColFunctionImports, "complexFunction": \.complexFunctions,
            "complexFunctionImport": \.complexFunctionImports, "complexProperty": \.complexProperties,
            "complexTypeName": \.complexTypeNames, "entityAnnotationInFragment": \.entityAnnotationsInFragment,
            "entityAnnotationInQuery": \.entityAnnotationsInQuery, "entityColFunction": \.entityColFunctions,
            "entityColFunctionImport": \.entityColFunctionImports,
            "entityColNavigationProperty": \.entityColNavigationProperties, "entityFunction": \.entityFunctions,
            "entityFunctionImport": \.entityFunctionImports,
            "entityNavigationProperty": \.entityNavigationProperties, "entitySetName": \.entitySetNames,
            "entityTypeName": \.entityTypeNames, "enumerationMember": \.enumerationMembers,
            "enumerationTypeName": \.enumerationTypeNames, "namespacePart": \.namespaceParts,
            "parameterName": \.parameterNames, "primitiveAnnotationInQuery": \.primitiveAnnotationsInQuery,
            "primitiveColFunction": \.primitiveColFunctions,
            "primitiveColFunctionImport": \.primitiveColFunctionImports,
            "primitiveColProperty": \.primitiveColProperties, "primitiveFunction": \.primitiveFunctions,
            "primitiveFunctionImport": \.primitiveFunctionImports,
            "primitiveKeyProperty": \.primitiveKeyProperties,
            "primitiveNonKeyProperty": \.primitiveNonKeyProperties, "singletonEntity": \.singletonEntities,
            "streamProperty": \.streamProperties, "customAggregate": \.customAggregates,
            "expressionAlias": \.expressionAliases,
        ]
        switch kind {
        case "customName": names.customNames = values
        case "keyPathLiteral": names.keyPathLiterals = values
        default:
            guard let path = paths[kind] else { throw UnknownConstraintKind(kind: kind) }
            names[keyPath: path] = values
        }
    }
}
