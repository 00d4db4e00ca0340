import EntityModel
import Foundation
import NGSILD
import Testing

struct ContextLoadingTests {
    static func document(_ context: JSON) -> JSON { ["@context": context] }

    @Test func aMissingContextIsNotAvailableAndNamesTheURL() async {
        let url = "https://example.org/missing.jsonld"
        let error = await NGSILDError.caught {
            _ = try await ContextProcessor(loader: PreloadedContextLoader(documents: [:])).activeContext(
                for: .string(url)
            )
        }
        #expect(error?.code == .contextNotAvailable)
        #expect(error?.url == url)
        #expect(error?.description.contains(url) == true)
    }

    @Test func aCycleOfReferencesIsRefusedNamingTheURL() async {
        let loader = PreloadedContextLoader(documents: [
            "https://example.org/a.jsonld": Self.document(["https://example.org/b.jsonld"]),
            "https://example.org/b.jsonld": Self.document([
                ["x": "https://example.org/x"], "https://example.org/a.jsonld",
            ]),
        ])
        let error = await NGSILDError.caught {
            _ = try await ContextProcessor(loader: loader).activeContext(for: "https://example.org/a.jsonld")
        }
        #expect(error?.code == .invalidContext)
        #expect(error?.url == "https://example.org/a.jsonld")
        #expect(error?.message.contains("https://example.org/b.jsonld -> https://example.org/a.jsonld") == true)
    }

    @Test func theSameContextTwiceInARowIsNoCycle() async throws {
        let loader = PreloadedContextLoader(documents: [
            "https://example.org/a.jsonld": Self.document(["speed": "https://example.org/speed"])
        ])
        let context = try await ContextProcessor(loader: loader).activeContext(
            for: ["https://example.org/a.jsonld", "https://example.org/a.jsonld"]
        )
        #expect(context.expandIRI("speed") == "https://example.org/speed")
    }

    @Test func referencesNestedTooDeeplyAreRefused() async {
        var documents: [String: JSON] = [:]
        for level in 0..<5 {
            documents["https://example.org/\(level).jsonld"] = Self.document(
                .string("https://example.org/\(level + 1).jsonld")
            )
        }
        documents["https://example.org/5.jsonld"] = Self.document([:])
        let processor = ContextProcessor(
            loader: PreloadedContextLoader(documents: documents),
            configuration: .init(maximumReferenceDepth: 3)
        )
        let error = await NGSILDError.caught {
            _ = try await processor.activeContext(for: "https://example.org/0.jsonld")
        }
        #expect(error?.code == .invalidContext)
        #expect(error?.message.contains("deeper than 3") == true)
    }

    @Test func aDocumentWithoutContextMemberIsNotAvailable() async {
        let loader = PreloadedContextLoader(documents: ["https://example.org/a.jsonld": ["terms": [:]]])
        let error = await NGSILDError.caught {
            _ = try await ContextProcessor(loader: loader).activeContext(for: "https://example.org/a.jsonld")
        }
        #expect(error?.code == .contextNotAvailable)
    }

    @Test func preloadedFilesAreReadAndBounded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ngsild-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.jsonld")
        try Data(#"{"@context": {"speed": "https://example.org/speed"}}"#.utf8).write(to: small)
        let loader = try PreloadedContextLoader(files: ["https://example.org/ctx.jsonld": small.path])
        #expect(
            loader.documents["https://example.org/ctx.jsonld"]?["@context"]?["speed"] == "https://example.org/speed"
        )

        let tooLarge = #expect(throws: NGSILDError.self) {
            try PreloadedContextLoader(files: ["https://example.org/ctx.jsonld": small.path], maximumSize: 10)
        }
        #expect(tooLarge?.code == .contextNotAvailable)
        #expect(tooLarge?.message.contains("larger than 10 bytes") == true)
        let missing = #expect(throws: NGSILDError.self) {
            try PreloadedContextLoader(files: ["https://example.org/x": folder.appendingPathComponent("none").path])
        }
        #expect(missing?.url == "https://example.org/x")
    }

    @Test func aPreloadedLoaderAsksItsFallbackForOtherURLs() async throws {
        let fallback = CountingLoader(["https://example.org/b": Self.document([:])])
        let loader = PreloadedContextLoader(
            documents: ["https://example.org/a": Self.document([:])],
            fallback: fallback
        )
        _ = try await loader.loadDocument(at: "https://example.org/a")
        _ = try await loader.loadDocument(at: "https://example.org/b")
        #expect(await fallback.loads == ["https://example.org/b": 1])
    }
}
