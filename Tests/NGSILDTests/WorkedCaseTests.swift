import EntityModel
import NGSILD
import Testing

/// The worked cases of §2.5 of the NGSI-LD reference, verbatim: the user context C defines
/// `almostFull` → `https://example.org/ctx#almostFull` and includes the core.
struct WorkedCaseTests {
    static let contextC = "https://example.org/ctx.jsonld"
    static let loader = PreloadedContextLoader(documents: [
        contextC: [
            "@context": [["almostFull": "https://example.org/ctx#almostFull"], .string(CoreContext.url)]
        ]
    ])

    func withC() async throws -> ActiveContext {
        try await ContextProcessor(loader: Self.loader).activeContext(for: .string(Self.contextC))
    }

    @Test func createdWithCRetrievedWithNoLinkKeepsTheFullIRI() async throws {
        let stored = try await withC().expandAttributeName("almostFull")
        #expect(stored == "https://example.org/ctx#almostFull")
        #expect(ActiveContext.core.compactIRI(stored, for: .attributeName) == "https://example.org/ctx#almostFull")
    }

    @Test func createdWithoutContextRetrievedWithCUsesTheNGSILDPrefix() async throws {
        let stored = try ActiveContext.core.expandAttributeName("almostFull")
        #expect(stored == "https://uri.etsi.org/ngsi-ld/default-context/almostFull")
        #expect(try await withC().compactIRI(stored, for: .attributeName) == "ngsi-ld:default-context/almostFull")
    }

    @Test func createdWithoutContextRetrievedWithoutContextIsTheTerm() throws {
        let stored = try ActiveContext.core.expandAttributeName("almostFull")
        #expect(ActiveContext.core.compactIRI(stored, for: .attributeName) == "almostFull")
    }

    @Test func theWholeEntityRoundTripsThroughC() async throws {
        let entity: JSON = [
            "id": "urn:ngsi-ld:Building:1", "type": "Building",
            "almostFull": ["type": "Property", "value": false],
        ]
        let stored = try await withC().expandEntity(entity)
        #expect(stored["https://example.org/ctx#almostFull"]?["value"] == false)
        #expect(try await withC().compactEntity(stored) == entity)
        #expect(try ActiveContext.core.compactEntity(stored)["https://example.org/ctx#almostFull"] != nil)
    }

    /// "A type that expands to a JSON-LD keyword (e.g. `"type": "type"` → `@type`) is rejected."
    @Test func aTypeThatExpandsToAKeywordIsRejected() throws {
        #expect(throws: NGSILDError.self) { try ActiveContext.core.expandType("type") }
        let error = #expect(throws: NGSILDError.self) {
            try ActiveContext.core.expandEntity(["id": "urn:ngsi-ld:T:1", "type": "type"])
        }
        #expect(error?.code == .invalidDocument)
        #expect(error?.message.contains("@type") == true)
    }

    /// The four expansion rules, in order.
    @Test func expansionRules() throws {
        let core = ActiveContext.core
        #expect(core.expandIRI("location") == "https://uri.etsi.org/ngsi-ld/location")  // 1: a term
        #expect(core.expandIRI("https://example.org/a") == "https://example.org/a")  // 2: an absolute IRI
        #expect(core.expandIRI("ngsi-ld:x") == "https://uri.etsi.org/ngsi-ld/x")  // 3: prefix:rest
        #expect(core.expandIRI("name") == "https://uri.etsi.org/ngsi-ld/default-context/name")  // 4: @vocab
    }

    /// The four compaction rules, in order.
    @Test func compactionRules() {
        let core = ActiveContext.core
        #expect(core.compactIRI("https://uri.etsi.org/ngsi-ld/location", for: .attributeName) == "location")
        #expect(core.compactIRI("https://uri.etsi.org/ngsi-ld/default-context/x", for: .attributeName) == "x")
        #expect(core.compactIRI("https://uri.etsi.org/ngsi-ld/other", for: .attributeName) == "ngsi-ld:other")
        #expect(core.compactIRI("https://example.org/other", for: .attributeName) == "https://example.org/other")
    }

    /// Rule 2 is blocked when the rest is a term: `type` would read as the keyword alias.
    @Test func aVocabularyRestThatIsATermGetsACompactIRI() {
        let iri = "https://uri.etsi.org/ngsi-ld/default-context/type"
        #expect(ActiveContext.core.compactIRI(iri, for: .attributeName) == "ngsi-ld:default-context/type")
    }

    @Test func membersNeverExpandedKeepTheirNames() throws {
        let entity: JSON = [
            "id": "urn:ngsi-ld:T:1", "type": "T", "scope": "/a",
            "temperature": [
                "type": "Property", "value": ["name": 1, "speed": .number(JSONNumber("2.50")!)],
                "observedAt": "2020-09-09T16:40:00.000Z",
                "unitCode": "CEL", "datasetId": "urn:ngsi-ld:Dataset:1", "createdAt": "x", "modifiedAt": "y",
                "instanceId": "urn:i", "lang": "en",
            ],
            "config": ["type": "JsonProperty", "json": ["name": "kept"]],
            "label": ["type": "LanguageProperty", "languageMap": ["en": "x"]],
            "list": ["type": "ListProperty", "valueList": [["name": 1]]],
            "links": ["type": "ListRelationship", "objectList": [["object": "urn:a"]]],
        ]
        let expanded = try ActiveContext.core.expandEntity(entity)
        let vocabulary = CoreContext.defaultVocabulary
        #expect(expanded["scope"] == "/a")
        #expect(expanded[vocabulary + "temperature"] == entity["temperature"])
        #expect(expanded[vocabulary + "config"] == entity["config"])
        #expect(expanded[vocabulary + "label"] == entity["label"])
        #expect(expanded[vocabulary + "list"] == entity["list"])
        #expect(expanded[vocabulary + "links"] == entity["links"])
        #expect(expanded[vocabulary + "temperature"]?["value"]?["speed"]?.description == "2.50")
    }
}
