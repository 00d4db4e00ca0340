import EntityModel
import Foundation
import Testing

@testable import NGSILD

struct CoreContextTests {
    /// The generated source (scripts/generate-ngsild-core-context) still holds the ETSI file, unchanged.
    @Test func theEmbeddedCoreContextIsTheSharedFile() throws {
        let text = try String(contentsOf: TestFiles.sharedCoreContext, encoding: .utf8)
        #expect(coreContextDocumentText == text)
    }

    @Test func everyCoreTermIsDefinedAsTheFileSays() throws {
        let shared = try TestFiles.json(TestFiles.sharedCoreContext)
        let definitions = try #require(shared["@context"]?.objectValue)
        #expect(ActiveContext.core.terms.count == definitions.keys.filter { !$0.hasPrefix("@") }.count)
        for (term, definition) in definitions where !term.hasPrefix("@") {
            let iri = definition.stringValue ?? definition["@id"]?.stringValue
            #expect(ActiveContext.core.expandIRI(iri ?? "") == ActiveContext.core.terms[term]?.iri, "\(term)")
        }
    }

    @Test func theCoreURLsAreTheUnversionedOneAndV13ToV19() {
        #expect(CoreContext.urls.count == 8)
        #expect(CoreContext.isCoreURL("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"))
        #expect(CoreContext.isCoreURL("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld"))
        #expect(!CoreContext.isCoreURL("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.2.jsonld"))
        #expect(CoreContext.versionedURL.hasSuffix("-v1.9.jsonld"))
    }

    @Test func coreTermsAreProtected() {
        let core = ActiveContext.core
        let unprotected = core.terms.filter { !$0.value.isProtected }.keys
        #expect(unprotected.isEmpty)
        for term in [
            "location", "observedAt", "unitCode", "datasetId", "createdAt", "modifiedAt", "scope", "description",
        ] {
            #expect(core.terms[term] != nil, "\(term) is a core term")
        }
        #expect(core.terms["name"] == nil)
    }
}
