import EntityModel
import NGSILD
import Testing

struct ContextProcessingTests {
    let processor = ContextProcessor(loader: PreloadedContextLoader(documents: [:]))

    func context(_ value: JSON) async throws -> ActiveContext {
        try await processor.activeContext(for: value)
    }

    @Test func noContextIsTheCoreContext() async throws {
        let context = try await processor.activeContext(for: nil)
        #expect(context.vocabulary == CoreContext.defaultVocabulary)
        #expect(context.terms["location"]?.iri == "https://uri.etsi.org/ngsi-ld/location")
        #expect(context.terms["name"] == nil)
        #expect(context.terms["ngsi-ld"]?.isPrefix == true)
        #expect(context.terms["description"]?.iri == "http://purl.org/dc/terms/description")
    }

    @Test(arguments: CoreContext.urls.sorted())
    func everyCoreURLResolvesOffline(url: String) async throws {
        let context = try await context(.string(url))
        #expect(context.terms == ActiveContext.core.terms)
    }

    @Test func anotherURLUnderETSIIsNotTheCore() async {
        let url = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld"
        let error = await NGSILDError.caught { _ = try await context(.string(url)) }
        #expect(error?.code == .contextNotAvailable)
        #expect(error?.url == url)
    }

    @Test func userTermsThroughPrefixesAndTheirVocabulary() async throws {
        let context = try await context([
            "@vocab": "https://example.org/vocab/",
            "ex": "https://example.org/ns#",
            "Building": "ex:Building",
            "speed": ["@type": "@id"],
            "fuel": "fuelLevel",
            "ex:height": ["@type": "ex:Metre"],
        ])
        #expect(context.terms["Building"]?.iri == "https://example.org/ns#Building")
        #expect(context.terms["speed"]?.iri == "https://example.org/vocab/speed")
        #expect(context.terms["fuel"]?.iri == "https://example.org/vocab/fuelLevel")
        #expect(context.terms["ex:height"]?.iri == "https://example.org/ns#height")
        #expect(context.terms["ex:height"]?.typeMapping == "https://example.org/ns#Metre")
        // The core, applied last, sets the vocabulary back.
        #expect(context.vocabulary == CoreContext.defaultVocabulary)
        #expect(try context.expandType("Office") == "https://uri.etsi.org/ngsi-ld/default-context/Office")
    }

    @Test func protectedCoreTermsWinSilently() async throws {
        let before = try await context(["location": "https://example.org/loc", "type": "https://example.org/t"])
        let after = try await context([.string(CoreContext.url), ["location": "https://example.org/loc"]])
        for context in [before, after] {
            #expect(context.expandIRI("location") == "https://uri.etsi.org/ngsi-ld/location")
            #expect(context.terms["type"]?.iri == "@type")
        }
    }

    @Test func laterContextsOfAnArrayWin() async throws {
        let context = try await context([
            ["speed": "https://example.org/a#speed"], ["speed": "https://example.org/b#speed"],
        ])
        #expect(context.expandIRI("speed") == "https://example.org/b#speed")
    }

    @Test func aNullContextClearsUserTermsButNotProtectedOnes() async throws {
        let cleared = try await context([["speed": "https://example.org/speed"], nil])
        #expect(cleared.expandIRI("speed") == CoreContext.defaultVocabulary + "speed")
        let error = await NGSILDError.caught { _ = try await context([.string(CoreContext.url), nil]) }
        #expect(error?.code == .invalidContext)
    }

    @Test(arguments: [
        (#"{"speed": {"@id": "https://example.org/speed", "@context": {"a": "https://example.org/a"}}}"#, "scoped"),
        (#"{"speed": {"@id": "https://example.org/speed", "@type": 4}}"#, "@type"),
        (#"{"speed": {"@id": "https://example.org/speed", "@unknown": 1}}"#, "@unknown"),
        (#"{"speed": {"@id": "https://example.org/speed", "@container": "@bag"}}"#, "@container"),
        (#"{"a": "b:x", "b": "a:y"}"#, "depends on itself"),
        (#"{"@id": "https://example.org/id"}"#, "keyword"),
        (#"{"speed": "relative"}"#, "absolute IRI"),
        (#"{"@vocab": 3}"#, "@vocab"),
        (#"{"@version": 1.0}"#, "@version"),
        (#"{"": "https://example.org/empty"}"#, "empty"),
        (#"[["https://example.org/nested"]]"#, "array"),
        ("5", "found integer"),
    ])
    func invalidContextsAreRefusedWithTheReason(text: String, reason: String) async throws {
        let value = try JSON(parsing: text)
        let error = await NGSILDError.caught { _ = try await context(value) }
        #expect(error?.code == .invalidContext)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "no error")")
    }

    @Test func importMergesTheImportedContextUnderTheImportingOne() async throws {
        let loader = PreloadedContextLoader(documents: [
            "https://example.org/base.jsonld": [
                "@context": ["speed": "https://example.org/base#speed", "fuel": "https://example.org/base#fuel"]
            ]
        ])
        let context = try await ContextProcessor(loader: loader).activeContext(
            for: ["@import": "https://example.org/base.jsonld", "speed": "https://example.org/own#speed"]
        )
        #expect(context.expandIRI("speed") == "https://example.org/own#speed")
        #expect(context.expandIRI("fuel") == "https://example.org/base#fuel")
    }

    @Test func aSimplePrefixTermCompactsButAnExpandedDefinitionDoesNot() async throws {
        let context = try await context([
            "simple": "https://example.org/simple/",
            "expanded": ["@id": "https://example.org/expanded/"],
            "declared": ["@id": "https://example.org/declared/", "@prefix": true],
        ])
        #expect(context.expandIRI("simple:a") == "https://example.org/simple/a")
        #expect(context.expandIRI("expanded:a") == "expanded:a")
        #expect(context.expandIRI("declared:a") == "https://example.org/declared/a")
        #expect(context.compactIRI("https://example.org/simple/a", for: .attributeName) == "simple:a")
        #expect(
            context.compactIRI("https://example.org/expanded/a", for: .attributeName)
                == "https://example.org/expanded/a"
        )
        #expect(context.compactIRI("https://example.org/declared/a", for: .attributeName) == "declared:a")
    }
}
