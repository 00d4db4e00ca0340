import EntityClient
import EntityModel
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import EntityHubCLI

/// `entityhub import` sends each batch with its own idempotency key, so a batch whose answer was lost
/// (or refused with 503) is retried safely, and a batch re-sent without its refused records gets a new key.
@Suite struct BatchSenderRetryTests {
    /// The method, `Idempotency-Key` and body of each request a stand-in server received.
    final class Received: Sendable {
        let requests = Mutex<[(key: String?, body: String)]>([])
    }

    private func withStandIn(
        _ answer: @escaping @Sendable (_ attempt: Int, _ body: JSON) -> Response,
        _ test: @Sendable (BatchSender, Received) async throws -> Void
    ) async throws {
        let received = Received()
        let router = Router()
        router.post("/api/v1/items") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let text = String(buffer: bytes)
            let attempt = received.requests.withLock { requests in
                requests.append((request.headers[HTTPField.Name("Idempotency-Key")!], text))
                return requests.count
            }
            return answer(attempt, (try? JSON(parsing: text)) ?? .null)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var configuration = EntityClient.Configuration()
            configuration.retry = RetryPolicy(maximumRetries: 3, initialBackoff: .milliseconds(1))
            let entityClient = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            try await test(BatchSender(collection: entityClient["items"]), received)
        }
    }

    private static func reply(_ status: HTTPResponse.Status, _ body: JSON) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized()))
        )
    }

    private let records = (1...3).map { PendingRecord(line: $0 * 10, value: ["n": .integer(Int64($0))]) }

    @Test func aBatchRefusedWith503IsRetriedWithTheSameKey() async throws {
        try await withStandIn({ attempt, body in
            attempt == 1
                ? Self.reply(.serviceUnavailable, ["error_code": "UNAVAILABLE", "errors": ["busy"]])
                : Self.reply(.created, body)
        }) { sender, received in
            let outcome = try await sender.send(records)
            #expect(outcome.accepted == 3)
            #expect(outcome.rejected.isEmpty)
            let requests = received.requests.withLock { $0 }
            #expect(requests.count == 2)
            #expect(requests[0].key != nil)
            #expect(requests[0].key == requests[1].key)
            #expect(requests[0].body == requests[1].body)
        }
    }

    @Test func theRecordsLeftAfterARefusalGoWithANewKey() async throws {
        try await withStandIn({ attempt, body in
            attempt == 1
                ? Self.reply(.unprocessableContent, ["error_code": "VALIDATION_FAILED", "errors": ["item 1: n: bad"]])
                : Self.reply(.created, body)
        }) { sender, received in
            let outcome = try await sender.send(records)
            #expect(outcome.accepted == 2)
            #expect(outcome.rejected == [RejectedRecord(line: 20, messages: ["n: bad"])])
            let requests = received.requests.withLock { $0 }
            #expect(requests.count == 2)
            #expect(requests[0].key != requests[1].key)
            #expect(try JSON(parsing: requests[1].body) == [["n": 1], ["n": 3]])
        }
    }

    @Test func aRefusalNamingNoItemIsNarrowedDownByHalves() async throws {
        try await withStandIn({ _, body in
            let hasBadRecord = body.arrayValue?.contains { $0["n"] == 3 } ?? false
            return hasBadRecord
                ? Self.reply(.conflict, ["error_code": "DUPLICATE_ID", "errors": ["'x' already exists"]])
                : Self.reply(.created, body)
        }) { sender, _ in
            let outcome = try await sender.send(records)
            #expect(outcome.accepted == 2)
            #expect(outcome.rejected == [RejectedRecord(line: 30, messages: ["'x' already exists"])])
        }
    }
}
