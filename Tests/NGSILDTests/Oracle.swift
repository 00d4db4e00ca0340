import EntityModel
import NGSILD

/// jsonld-oracle.json, written by Fixtures/make_fixtures.py with PyLD 3.3.0.
struct Oracle: Sendable {
    let document: JSON

    static let shared: Oracle = {
        // A missing or broken fixture is a defect of the test target itself.
        guard let document = try? TestFiles.json(TestFiles.fixtures.appendingPathComponent("jsonld-oracle.json"))
        else { preconditionFailure("Fixtures/jsonld-oracle.json cannot be read") }
        return Oracle(document: document)
    }()

    /// A loader serving the remote test contexts, and nothing else.
    var loader: PreloadedContextLoader {
        PreloadedContextLoader(documents: document["contexts"]?.objectValue ?? [:])
    }

    var cases: [JSON] { document["cases"]?.arrayValue ?? [] }
    var nameSets: [JSON] { document["names"]?.arrayValue ?? [] }
    var iriSets: [JSON] { document["iris"]?.arrayValue ?? [] }
    var outputs: [String: JSON] { document["outputs"]?.objectValue ?? [:] }

    /// The active context of a client `@context` (JSON `null` meaning none).
    func activeContext(for context: JSON?) async throws -> ActiveContext {
        let requested = context == .null ? nil : context
        return try await ContextProcessor(loader: loader).activeContext(for: requested)
    }
}
