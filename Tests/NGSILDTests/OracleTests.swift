import EntityModel
import NGSILD
import Testing

/// Expansion and compaction against PyLD 3.3.0 (Fixtures/jsonld-oracle.json, from make_fixtures.py).
struct OracleTests {
    static let caseNames = Oracle.shared.cases.compactMap { $0["name"]?.stringValue }
    static let nameSetNames = Oracle.shared.nameSets.compactMap { $0["name"]?.stringValue }
    static let iriSetNames = Oracle.shared.iriSets.compactMap { $0["name"]?.stringValue }

    @Test func oracleHoldsEnoughCases() {
        #expect(Self.caseNames.count >= 12)
        #expect(Self.nameSetNames.count >= 10)
        #expect(Self.iriSetNames.count >= 5)
    }

    @Test(arguments: caseNames)
    func expandsEntitiesAsPyLD(caseName: String) async throws {
        let oracleCase = try #require(Oracle.shared.cases.first { $0["name"] == .string(caseName) })
        let context = try await Oracle.shared.activeContext(for: oracleCase["context"])
        let expanded = try context.expandEntity(try #require(oracleCase["entity"]))
        #expect(expanded == oracleCase["expanded"])
    }

    @Test(arguments: caseNames)
    func compactsEntitiesAsPyLD(caseName: String) async throws {
        let oracleCase = try #require(Oracle.shared.cases.first { $0["name"] == .string(caseName) })
        let expanded = try #require(oracleCase["expanded"])
        let outputs = Oracle.shared.outputs.merging(["client": oracleCase["context"] ?? .null]) { $1 }
        for (output, outputContext) in outputs.sorted(by: { $0.key < $1.key }) {
            let context = try await Oracle.shared.activeContext(for: outputContext)
            let compacted = try context.compactEntity(expanded)
            #expect(compacted == oracleCase["compacted"]?[output], "compacted with the context \(output)")
        }
    }

    @Test(arguments: nameSetNames)
    func expandsSingleNamesAsPyLD(setName: String) async throws {
        let set = try #require(Oracle.shared.nameSets.first { $0["name"] == .string(setName) })
        let context = try await Oracle.shared.activeContext(for: set["context"])
        for (name, expected) in set["attributeNames"]?.objectValue ?? [:] {
            let result = try? context.expandAttributeName(name)
            #expect(result == expected.stringValue, "attribute name \(name): PyLD gives \(expected)")
        }
        for (name, expected) in set["types"]?.objectValue ?? [:] {
            let result = try? context.expandType(name)
            #expect(result == expected.stringValue, "type \(name): PyLD gives \(expected)")
        }
    }

    /// Where PyLD refuses an IRI that looks like a compact IRI of a prefix in the context ("IRI confused
    /// with prefix"), EntityHub keeps the IRI as it is.
    @Test(arguments: iriSetNames)
    func compactsSingleIRIsAsPyLD(setName: String) async throws {
        let set = try #require(Oracle.shared.iriSets.first { $0["name"] == .string(setName) })
        let context = try await Oracle.shared.activeContext(for: set["context"])
        for (position, key) in [(CompactionPosition.attributeName, "attributeNames"), (.typeValue, "types")] {
            for (iri, expected) in set[key]?.objectValue ?? [:] {
                let wanted = expected.stringValue ?? iri
                #expect(context.compactIRI(iri, for: position) == wanted, "\(key) \(iri): PyLD gives \(expected)")
            }
        }
    }
}
