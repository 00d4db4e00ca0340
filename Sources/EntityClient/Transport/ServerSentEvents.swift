import AsyncHTTPClient
import Foundation
import NIOCore

/// One event of a Server-Sent Events stream: its `event:` name (`message` when none) and `data:`.
public struct ServerSentEvent: Sendable, Hashable {
    public let name: String
    public let data: String
}

extension EntityClient {
    /// Opens the Server-Sent Events stream at `{endpoint}/{path}` and yields its events as they come
    /// (comments, such as heartbeats, are skipped). The stream ends when the server closes it, and
    /// throws ``EntityClientError`` for an answer of 400 or more; cancel the iterating task to close it.
    ///
    /// ```swift
    /// for try await event in client.serverSentEvents("_sync/events") where event.name == "changes" { … }
    /// ```
    public func serverSentEvents(_ path: String, query: String? = nil) -> AsyncThrowingStream<
        ServerSentEvent, any Error
    > {
        let executor = self.executor
        var url = executor.endpoint + "/" + Self.encodedPath(path.split(separator: "/").map(String.init))
        if let query, !query.isEmpty { url += "?" + query }
        let target = url
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var request = HTTPClientRequest(url: target)
                    request.headers.add(name: "Accept", value: "text/event-stream")
                    request.headers.add(name: "User-Agent", value: executor.configuration.userAgent)
                    if let apiKey = executor.apiKey { request.headers.add(name: "Authorization", value: apiKey) }
                    let response = try await executor.httpClient.execute(request, timeout: .hours(24 * 365))
                    guard response.status.code < 400 else {
                        let body = try await response.body.collect(upTo: 1 << 20)
                        throw EntityClientError.answer(
                            status: Int(response.status.code),
                            body: Array(body.readableBytesView),
                            request: EntityClientError.Request(method: "GET", url: target)
                        )
                    }
                    var parser = EventParser()
                    for try await chunk in response.body {
                        for event in parser.feed(chunk) { continuation.yield(event) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Reads `text/event-stream` lines into events (a blank line ends an event).
struct EventParser {
    private var line: [UInt8] = []
    private var name = ""
    private var data: [String] = []

    mutating func feed(_ chunk: ByteBuffer) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in chunk.readableBytesView {
            guard byte == UInt8(ascii: "\n") else {
                if byte != UInt8(ascii: "\r") { line.append(byte) }
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            line.removeAll(keepingCapacity: true)
            if text.isEmpty {
                if !data.isEmpty {
                    events.append(
                        ServerSentEvent(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"))
                    )
                }
                name = ""
                data = []
            } else if text.hasPrefix("event:") {
                name = text.dropFirst(6).trimmingCharacters(in: .whitespaces)
            } else if text.hasPrefix("data:") {
                data.append(String(text.dropFirst(5).drop(while: { $0 == " " })))
            }
        }
        return events
    }
}
