import EntityClient
import EntityModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct TransportFailureTests {
    @Test func aSlowAnswerFailsWithTimeoutAndIsNotRetried() async throws {
        let attempts = Counter()
        let router = Router()
        router.get("/api/v1/products/PRD-1") { _, _ -> Response in
            _ = await attempts.increment()
            try? await Task.sleep(for: .seconds(2))
            return Reply.json(["id": "PRD-1"])
        }
        try await withServer(router) { port in
            let log = LogRecorder()
            var configuration = fastRetries(3)
            configuration.timeout = .milliseconds(300)
            configuration.logger = log.logger
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)

            let clock = ContinuousClock()
            let start = clock.now
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            let elapsed = clock.now - start
            #expect(error.code == .timeout)
            #expect(error.status == nil)
            #expect(error.request?.url == client.endpoint + "/products/PRD-1")
            #expect(elapsed >= .milliseconds(300) && elapsed < .milliseconds(1500))
            #expect(log.messages.filter { $0 == "retrying request" }.isEmpty)
            let count = await attempts.count
            #expect(count <= 1)
        }
    }

    @Test func aRefusedConnectionFailsWithTransportAfterTheRetries() async throws {
        let log = LogRecorder()
        var configuration = fastRetries(2)
        configuration.logger = log.logger
        try await withRefusingPort { port in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].all.count()
            }
            #expect(error.code == .transport)
            #expect(error.status == nil)
            #expect(error.underlyingError != nil)
            #expect(error.request?.method == "GET")
            #expect(log.messages.filter { $0 == "retrying request" }.count == 2)
        }
    }

    @Test func aRefusedPostIsNotRetried() async throws {
        let log = LogRecorder()
        var configuration = fastRetries(2)
        configuration.logger = log.logger
        try await withRefusingPort { port in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].create(["name": "Lamp"])
            }
            #expect(error.code == .transport)
            #expect(log.messages.filter { $0 == "retrying request" }.isEmpty)
        }
    }

    @Test func anAnswerLargerThanTheLimitFailsWithResponseTooLarge() async throws {
        let large: JSON = ["id": "PRD-1", "text": .string(String(repeating: "x", count: 10_000))]
        try await withStandInServer { _, _ in
            Reply.json(large)
        } _: { port, _ in
            var configuration = EntityClient.Configuration()
            configuration.maximumResponseSize = 1024
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            #expect(error.code == .responseTooLarge)

            let roomy = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            #expect(try await roomy["products"]["PRD-1"].get() == large)
        }
    }

    @Test func aListWithoutContentRangeIsAnInvalidResponse() async throws {
        try await withStandInServer { _, _ in
            Reply.json([["id": "PRD-1"]])
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].all.collect()
            }
            #expect(error.code == .invalidResponse)
            #expect(error.errors.first?.contains("Content-Range") == true)
            await #expect(throws: EntityClientError.self) { try await client["products"].all.count() }
        }
    }

    @Test func anAnswerThatIsNotJSONIsAnInvalidResponse() async throws {
        try await withStandInServer { _, _ in
            Reply.text("<html>hello</html>", status: .ok)
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            #expect(error.code == .invalidResponse)
            #expect(error.status == 200)
        }
    }

    @Test func aListAnswerThatIsNotAnArrayIsAnInvalidResponse() async throws {
        try await withStandInServer { _, _ in
            Reply.json(["id": "PRD-1"], headers: [.contentRange: "items 0-0/1"])
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].all.collect()
            }
            #expect(error.code == .invalidResponse)
            #expect(error.errors.first?.contains("array") == true)
        }
    }

    @Test(arguments: [("upstream exploded", ["upstream exploded"]), ("", ["the server answered 500"])])
    func anErrorWithoutAConnectBodyKeepsWhatTheServerSaid(text: String, errors: [String]) async throws {
        try await withStandInServer { _, _ in
            Reply.text(text, status: .internalServerError)
        } _: { port, _ in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)")
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            #expect(error.code == .server)
            #expect(error.status == 500)
            #expect(error.errorCode == nil)
            #expect(error.errors == errors)
        }
    }
}

/// Runs `body` with a port of 127.0.0.1 that refuses connections: a socket is bound to it, so no one else
/// takes it, but never listens.
func withRefusingPort(_ body: (Int) async throws -> Void) async throws {
    #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    try #require(bound)
    try await body(Int(UInt16(bigEndian: address.sin_port)))
}
