import EntityClient
import EntityModel
import HTTPTypes
import Hummingbird
import NIOHTTP1
import Testing

@Suite struct RetryTests {
    static let lamp: JSON = ["id": "PRD-1", "name": "Lamp", "_meta": ["version": 1]]

    @Test(arguments: [nil, "0"])
    func aListIsRetriedAfter503UntilItSucceeds(retryAfter: String?) async throws {
        try await withStandInServer { request, earlier in
            earlier < 2
                ? Reply.error(.serviceUnavailable, retryAfter: retryAfter) : Reply.page(of: [Self.lamp], for: request)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(3))
            #expect(try await client["products"].all.collect() == [Self.lamp])
            #expect(await received.values.count == 3)
        }
    }

    @Test func aFailureThatOutlastsTheRetriesIsPassedOn() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.serviceUnavailable, retryAfter: "0")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            #expect(error.code == .server)
            #expect(error.status == 503)
            #expect(error.errorCode == "UNAVAILABLE")
            #expect(error.errors == ["try again later"])
            #expect(await received.values.count == 3)
        }
    }

    @Test func aPostWithoutAnIdempotencyKeyIsSentExactlyOnce() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.serviceUnavailable, retryAfter: "0")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"].create(["name": "Lamp"])
            }
            #expect(error.status == 503)
            let requests = await received.values
            #expect(requests.count == 1)
            #expect(requests.first?.headers["idempotency-key"] == nil)
        }
    }

    @Test func aPostWithAnIdempotencyKeyIsRetriedWithTheSameKey() async throws {
        try await withStandInServer { request, earlier in
            earlier < 2 ? Reply.error(.serviceUnavailable) : Reply.json(Self.lamp, status: .created)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let created = try await client["products"].create(["name": "Lamp"], idempotencyKey: "create-lamp-1")
            #expect(created == Self.lamp)

            let requests = await received.values
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.headers["idempotency-key"] == "create-lamp-1" })
            #expect(requests.allSatisfy { $0.body == #"{"name":"Lamp"}"# })
        }
    }

    @Test func anActionPostIsRetriedOnlyWithAnIdempotencyKey() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.badGateway)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let action = client["products"]["PRD-1"].action("endsale")
            await #expect(throws: EntityClientError.self) { try await action.post() }
            #expect(await received.values.count == 1)
            await #expect(throws: EntityClientError.self) { try await action.post(idempotencyKey: "endsale-1") }
            #expect(await received.values.count == 4)
        }
    }

    @Test(
        arguments: [
            (HTTPMethod.GET, 3), (.PUT, 3), (.DELETE, 3), (.POST, 1), (.PATCH, 1),
        ]
    )
    func onlyRequestsThatAreSafeToRepeatAreRetried(method: HTTPMethod, attempts: Int) async throws {
        try await withStandInServer { _, _ in
            Reply.error(.serviceUnavailable, retryAfter: "0")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let body: JSON? = method == .GET || method == .DELETE ? nil : ["name": "Lamp"]
            await #expect(throws: EntityClientError.self) { try await client.send(method, "items/1", body: body) }
            #expect(await received.values.count == attempts)
            #expect(await received.values.allSatisfy { $0.method == method.rawValue })
        }
    }

    @Test(arguments: [(429, 3), (500, 1), (502, 3), (503, 3), (504, 3), (400, 1), (404, 1)])
    func onlyTransientStatusesAreRetried(status: Int, attempts: Int) async throws {
        try await withStandInServer { _, _ in
            Reply.error(HTTPResponse.Status(code: status), code: "E\(status)")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let error = try await #require(throws: EntityClientError.self) { try await client.send(.GET, "items/1") }
            #expect(error.status == status)
            #expect(error.errorCode == "E\(status)")
            #expect(await received.values.count == attempts)
        }
    }

    @Test func theRetriedStatusesCanBeChosen() async throws {
        var retry = fastRetries(2).retry
        retry.retriedStatuses = [500]
        let configuration = EntityClient.Configuration(retry: retry)
        try await withStandInServer { request, earlier in
            earlier == 0 ? Reply.error(.internalServerError) : Reply.json(Self.lamp)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            #expect(try await client["products"]["PRD-1"].get() == Self.lamp)
            #expect(await received.values.count == 2)
        }
    }

    @Test func noRetriesMeansOneAttempt() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.serviceUnavailable, retryAfter: "0")
        } _: { port, received in
            let client = try EntityClient(
                endpoint: "http://127.0.0.1:\(port)",
                configuration: EntityClient.Configuration(retry: .none)
            )
            await #expect(throws: EntityClientError.self) { try await client["products"]["PRD-1"].get() }
            #expect(await received.values.count == 1)
        }
    }

    @Test func a429IsRetriedAfterTheWaitTheServerAsksFor() async throws {
        try await withStandInServer { _, earlier in
            earlier == 0 ? Reply.error(.tooManyRequests, code: "RATE_LIMITED", retryAfter: "1") : Reply.json(Self.lamp)
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await client["products"]["PRD-1"].get() == Self.lamp)
            #expect(clock.now - start >= .seconds(1))
            #expect(await received.values.count == 2)
        }
    }

    @Test func aRetryAfterLongerThanTheClientAcceptsIsPassedOnAtOnce() async throws {
        var retry = fastRetries(3).retry
        retry.maximumRetryAfter = .seconds(5)
        let configuration = EntityClient.Configuration(retry: retry)
        try await withStandInServer { _, _ in
            Reply.error(.tooManyRequests, code: "RATE_LIMITED", retryAfter: "120")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: configuration)
            let clock = ContinuousClock()
            let start = clock.now
            let error = try await #require(throws: EntityClientError.self) {
                try await client["products"]["PRD-1"].get()
            }
            #expect(error.status == 429)
            #expect(error.errorCode == "RATE_LIMITED")
            #expect(clock.now - start < .seconds(5))
            #expect(await received.values.count == 1)
        }
    }

    @Test func modifyGivesUpAfterItsAttempts() async throws {
        let entity: JSON = ["id": "X", "count": 1, "_meta": ["version": 1]]
        try await withStandInServer { request, _ in
            request.method == "GET"
                ? Reply.json(entity, headers: [.eTag: "\"1\""])
                : Reply.error(.preconditionFailed, code: "VERSION_MISMATCH")
        } _: { port, received in
            struct Tally: Codable, Sendable {
                var id: String
                var count: Int
            }
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(2))
            let error = try await #require(throws: EntityClientError.self) {
                try await client["items"]["X"].modify(as: Tally.self, maximumAttempts: 3) { $0.count += 1 }
            }
            #expect(error.code == .versionMismatch)
            let requests = await received.values
            #expect(requests.map(\.method) == ["GET", "PUT", "GET", "PUT", "GET", "PUT"])
            #expect(requests.filter { $0.method == "PUT" }.allSatisfy { $0.headers["if-match"] == "\"1\"" })
            #expect(try JSON(parsing: requests.last?.body ?? "")["count"] == 2)
        }
    }

    @Test func cancellingTheTaskEndsTheWaitForARetry() async throws {
        try await withStandInServer { _, _ in
            Reply.error(.serviceUnavailable, retryAfter: "30")
        } _: { port, received in
            let client = try EntityClient(endpoint: "http://127.0.0.1:\(port)", configuration: fastRetries(3))
            let clock = ContinuousClock()
            let start = clock.now
            let request = Task { try await client["products"]["PRD-1"].get() }
            for _ in 0..<200 where await received.values.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            request.cancel()

            let result = await request.result
            #expect(clock.now - start < .seconds(5))
            let error = try #require(throws: EntityClientError.self) { try result.get() }
            #expect(error.code == .transport)
            #expect(await received.values.count == 1)
        }
    }
}
