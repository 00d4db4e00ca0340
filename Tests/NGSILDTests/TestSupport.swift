import EntityModel
import Foundation
import NGSILD

/// The files of this test target.
enum TestFiles {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// A copy of `shared/data/ngsi-ld-core-context-v1.9.jsonld` (the ETSI file), kept with the tests so
    /// that they run in any clone.
    static let sharedCoreContext = fixtures.appendingPathComponent("ngsi-ld-core-context-v1.9.jsonld")

    static func json(_ url: URL) throws -> JSON {
        try JSON(parsing: Array(Data(contentsOf: url)))
    }
}

/// A loader answering from a fixed map and counting how often each URL was asked for.
actor CountingLoader: ContextLoader {
    private let documents: [String: JSON]
    private let delay: Duration
    private(set) var loads: [String: Int] = [:]

    init(_ documents: [String: JSON], delay: Duration = .zero) {
        self.documents = documents
        self.delay = delay
    }

    func loadDocument(at url: String) async throws(NGSILDError) -> JSON {
        loads[url, default: 0] += 1
        if delay > .zero { try? await Task.sleep(for: delay) }
        guard let document = documents[url] else {
            throw NGSILDError(.contextNotAvailable, "not served", url: url)
        }
        return document
    }
}

extension NGSILDError {
    /// Runs `body` and returns the NGSILDError it throws, or `nil`.
    static func caught(_ body: () async throws -> Void) async -> NGSILDError? {
        do {
            try await body()
            return nil
        } catch let error as NGSILDError {
            return error
        } catch {
            return nil
        }
    }
}
