import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends ``ClientRequest``s to one endpoint: adds the standard headers, bounds each attempt by the
/// configured timeout and the answer by the configured size, and retries what is safe to retry.
struct RequestExecutor: Sendable {
    /// The endpoint without a trailing `/`, such as `http://127.0.0.1:8080/api/v1`.
    let endpoint: String
    let apiKey: String?
    let configuration: EntityClient.Configuration

    var httpClient: HTTPClient { configuration.httpClient ?? .entityClientDefault }

    /// Sends `request` and returns the answer when its status is below 400; throws
    /// ``EntityClientError`` for every other outcome.
    func send(_ request: ClientRequest) async throws(EntityClientError) -> ClientResponse {
        let response = try await sendAllowingErrors(request)
        guard response.status < 400 else {
            throw EntityClientError.answer(status: response.status, body: response.body, request: response.request)
        }
        return response
    }

    /// Sends `request`, retrying connection errors and retryable statuses as the policy allows, and returns
    /// the last answer whatever its status.
    func sendAllowingErrors(_ request: ClientRequest) async throws(EntityClientError) -> ClientResponse {
        let prepared = try prepare(request)
        let description = EntityClientError.Request(method: request.method.rawValue, url: prepared.url.absoluteString)
        let policy = configuration.retry
        var attempt = 0
        while true {
            let outcome = await attemptOnce(prepared, description: description)
            let retryDelay: Duration?
            switch outcome {
            case .success(let response):
                retryDelay = delayBeforeRetry(after: response, attempt: attempt + 1, request: request)
                if retryDelay == nil { return response }
            case .failure(let error):
                guard error.code == .transport, request.isRetryable, attempt < policy.maximumRetries else {
                    throw error
                }
                retryDelay = policy.backoff(beforeRetry: attempt + 1)
            }
            attempt += 1
            let delay = retryDelay ?? .zero
            configuration.logger.info(
                "retrying request",
                metadata: [
                    "request": "\(description)", "attempt": "\(attempt)", "delay": "\(delay)",
                    "reason": "\(outcome.reason)",
                ]
            )
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw EntityClientError(.transport, errors: ["cancelled"], request: description, underlyingError: error)
            }
        }
    }

    /// The wait before retrying after `response`, or `nil` when the answer is final.
    private func delayBeforeRetry(after response: ClientResponse, attempt: Int, request: ClientRequest) -> Duration? {
        let policy = configuration.retry
        guard policy.retriedStatuses.contains(response.status), request.isRetryable,
            attempt <= policy.maximumRetries
        else { return nil }
        guard let header = response.headers.first(name: "Retry-After") else {
            return policy.backoff(beforeRetry: attempt)
        }
        guard let wait = RetryAfter.parse(header) else { return policy.backoff(beforeRetry: attempt) }
        return wait <= policy.maximumRetryAfter ? wait : nil
    }

    private enum Outcome {
        case success(ClientResponse)
        case failure(EntityClientError)

        var reason: String {
            switch self {
            case .success(let response): "status \(response.status)"
            case .failure(let error): error.description
            }
        }
    }

    /// One attempt, bounded by the timeout from sending to the last byte of the answer.
    ///
    /// The answer is gathered on the connection's event loop (AsyncHTTPClient's `ResponseAccumulator`)
    /// and handed over once, rather than streamed to this task part by part: for pages of hundreds of
    /// kilobytes the per-part task switches cost more than everything else the client does.
    private func attemptOnce(_ request: HTTPClient.Request, description: EntityClientError.Request) async -> Outcome {
        let logger = configuration.logger
        logger.debug("sending request", metadata: ["request": "\(description)"])
        let limit = min(configuration.maximumResponseSize, Int(UInt32.max))
        let task = httpClient.execute(
            request: request,
            delegate: ResponseAccumulator(request: request, maxBodySize: limit),
            deadline: .now() + TimeAmount(configuration.timeout),
            logger: logger
        )
        do {
            let answer = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            let response = ClientResponse(
                status: Int(answer.status.code),
                headers: answer.headers,
                body: answer.body.map { Array($0.readableBytesView) } ?? [],
                request: description
            )
            logger.debug("received answer", metadata: ["request": "\(description)", "status": "\(response.status)"])
            return .success(response)
        } catch {
            return .failure(classify(error, request: description))
        }
    }

    private func classify(_ error: any Error, request: EntityClientError.Request) -> EntityClientError {
        if let error = error as? HTTPClientError, error == .deadlineExceeded {
            return EntityClientError(
                .timeout,
                errors: ["no complete answer within \(configuration.timeout)"],
                request: request,
                underlyingError: error
            )
        }
        if error is ResponseAccumulator.ResponseTooBigError || error is NIOTooManyBytesError {
            return EntityClientError(
                .responseTooLarge,
                errors: ["the answer is larger than \(configuration.maximumResponseSize) bytes"],
                request: request,
                underlyingError: error
            )
        }
        return Self.transportError(error, request: request)
    }

    /// A request that got no answer: cancelled, or the connection failed.
    static func transportError(_ error: any Error, request: EntityClientError.Request) -> EntityClientError {
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return EntityClientError(.transport, errors: ["cancelled"], request: request, underlyingError: error)
        }
        return EntityClientError(
            .transport,
            errors: ["no answer from the server: \(error)"],
            request: request,
            underlyingError: error
        )
    }

    /// The AsyncHTTPClient request for `request`, with the standard headers.
    private func prepare(_ request: ClientRequest) throws(EntityClientError) -> HTTPClient.Request {
        var url = endpoint
        if !request.path.isEmpty { url += "/" + request.path }
        if let query = request.query, !query.isEmpty { url += "?" + query }
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: configuration.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if let apiKey { headers.add(name: "Authorization", value: apiKey) }
        for (name, value) in configuration.defaultHeaders { headers.replaceOrAdd(name: name, value: value) }
        if let key = request.idempotencyKey { headers.replaceOrAdd(name: "Idempotency-Key", value: key) }
        for header in request.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        var body: HTTPClient.Body?
        if let bytes = request.body {
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            body = .bytes(bytes)
        }
        do {
            return try HTTPClient.Request(url: url, method: request.method, headers: headers, body: body)
        } catch {
            throw EntityClientError(
                .invalidArgument,
                errors: ["cannot make a request to '\(url)': \(error)"],
                underlyingError: error
            )
        }
    }
}

extension HTTPClient {
    /// The client requests are sent with when ``EntityClient/Configuration/httpClient`` is `nil`: configured
    /// as `HTTPClient.shared`, except that a refused connection fails the attempt at once.
    ///
    /// `HTTPClient.shared` keeps trying to connect until the request's deadline, so a stopped server would
    /// surface as a timeout after the whole ``EntityClient/Configuration/timeout``, and the ``RetryPolicy``
    /// would never see the connection error. Like `HTTPClient.shared`, this client lives as long as the
    /// process and is never shut down.
    static let entityClientDefault: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
