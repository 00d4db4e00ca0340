import EntityModel
import NGSILD
import Testing

struct CachingContextLoaderTests {
    static let documents: [String: JSON] = [
        "https://example.org/a": ["@context": ["a": "https://example.org/a"]],
        "https://example.org/b": ["@context": ["b": "https://example.org/b"]],
        "https://example.org/c": ["@context": ["c": "https://example.org/c"]],
    ]

    @Test func loadsEachURLOnce() async throws {
        let source = CountingLoader(Self.documents)
        let cache = CachingContextLoader(wrapping: source)
        for _ in 0..<3 { _ = try await cache.loadDocument(at: "https://example.org/a") }
        #expect(await source.loads["https://example.org/a"] == 1)
    }

    @Test func concurrentRequestsShareOneLoad() async throws {
        let source = CountingLoader(Self.documents, delay: .milliseconds(50))
        let cache = CachingContextLoader(wrapping: source)
        try await withThrowingTaskGroup(of: JSON.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.loadDocument(at: "https://example.org/a") } }
            for try await document in group { #expect(document == Self.documents["https://example.org/a"]) }
        }
        #expect(await source.loads["https://example.org/a"] == 1)
    }

    @Test func failuresAreNotKept() async {
        let source = CountingLoader([:])
        let cache = CachingContextLoader(wrapping: source)
        for _ in 0..<2 {
            let error = await NGSILDError.caught { _ = try await cache.loadDocument(at: "https://example.org/x") }
            #expect(error?.url == "https://example.org/x")
        }
        #expect(await source.loads["https://example.org/x"] == 2)
    }

    @Test func theLeastRecentlyUsedDocumentGoesFirst() async throws {
        let source = CountingLoader(Self.documents)
        let cache = CachingContextLoader(wrapping: source, configuration: .init(capacity: 2))
        _ = try await cache.loadDocument(at: "https://example.org/a")
        _ = try await cache.loadDocument(at: "https://example.org/b")
        _ = try await cache.loadDocument(at: "https://example.org/a")
        _ = try await cache.loadDocument(at: "https://example.org/c")  // evicts b
        _ = try await cache.loadDocument(at: "https://example.org/a")
        _ = try await cache.loadDocument(at: "https://example.org/b")
        #expect(await cache.count == 2)
        #expect(
            await source.loads == ["https://example.org/a": 1, "https://example.org/b": 2, "https://example.org/c": 1]
        )
    }

    @Test func expiredDocumentsAreLoadedAgain() async throws {
        let source = CountingLoader(Self.documents)
        let cache = CachingContextLoader(wrapping: source, configuration: .init(timeToLive: .milliseconds(20)))
        _ = try await cache.loadDocument(at: "https://example.org/a")
        try await Task.sleep(for: .milliseconds(40))
        _ = try await cache.loadDocument(at: "https://example.org/a")
        #expect(await source.loads["https://example.org/a"] == 2)
    }
}
