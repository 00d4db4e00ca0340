import EntityModel
import NGSILD
import Testing

/// The HTTP loader against a server on 127.0.0.1; no other network is used.
@Suite(.serialized)
struct HTTPContextLoaderTests {
    static let context = #"{"@context": {"speed": "https://example.org/speed"}}"#

    @Test func downloadsAContextWhateverItsContentType() async throws {
        let server = try LocalHTTPServer { path in
            path == "/ctx.jsonld" ? .init(body: Self.context) : .init(status: 404, body: "")
        }
        defer { server.stop() }
        let document = try await HTTPContextLoader().loadDocument(at: server.url("/ctx.jsonld"))
        #expect(document["@context"]?["speed"] == "https://example.org/speed")
        let context = try await ContextProcessor(loader: HTTPContextLoader())
            .activeContext(for: .string(server.url("/ctx.jsonld")))
        #expect(context.expandIRI("speed") == "https://example.org/speed")
    }

    @Test func anErrorStatusIsNotAvailable() async throws {
        let server = try LocalHTTPServer { _ in .init(status: 404, body: "not here") }
        defer { server.stop() }
        let url = server.url("/missing.jsonld")
        let error = await NGSILDError.caught { _ = try await HTTPContextLoader().loadDocument(at: url) }
        #expect(error?.code == .contextNotAvailable)
        #expect(error?.url == url)
        #expect(error?.message.contains("404") == true)
    }

    @Test func aDocumentLargerThanTheLimitIsRefused() async throws {
        let server = try LocalHTTPServer { _ in .init(body: String(repeating: " ", count: 5000) + Self.context) }
        defer { server.stop() }
        let loader = HTTPContextLoader(configuration: .init(maximumDocumentSize: 1000))
        let error = await NGSILDError.caught { _ = try await loader.loadDocument(at: server.url("/big.jsonld")) }
        #expect(error?.message.contains("larger than 1000 bytes") == true)
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try LocalHTTPServer { _ in .init(body: Self.context, delay: 3) }
        defer { server.stop() }
        let loader = HTTPContextLoader(configuration: .init(connectTimeout: .seconds(1), totalTimeout: .seconds(1)))
        let started = ContinuousClock.now
        let error = await NGSILDError.caught { _ = try await loader.loadDocument(at: server.url("/slow.jsonld")) }
        #expect(error?.code == .contextNotAvailable)
        #expect(started.duration(to: .now) < .milliseconds(2500))
    }

    @Test func aClosedPortFailsFast() async throws {
        let server = try LocalHTTPServer { _ in .init(body: "") }
        let url = server.url("/ctx.jsonld")
        server.stop()
        let started = ContinuousClock.now
        let error = await NGSILDError.caught { _ = try await HTTPContextLoader().loadDocument(at: url) }
        #expect(error?.code == .contextNotAvailable)
        #expect(started.duration(to: .now) < .seconds(2))
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://example.org/ctx.jsonld", "not a url"])
    func onlyHTTPURLsAreDownloaded(url: String) async {
        let error = await NGSILDError.caught { _ = try await HTTPContextLoader().loadDocument(at: url) }
        #expect(error?.code == .contextNotAvailable)
        #expect(error?.message.contains("only http and https") == true)
    }
}
