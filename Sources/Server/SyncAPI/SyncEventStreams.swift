import EntityService
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /api/v1/_sync/events`: a Server-Sent Events stream that tells a sync client when its feed
/// grew, so that it pulls then rather than polling.
///
/// `event: changes` with `data: {"seq": N}` (the newest sequence of the caller's feed) whenever a
/// write reaches it — coalesced: at most one check per `coalescing` interval, and only an event when
/// the feed passed the last one sent — and a `: heartbeat` comment every `heartbeat` so that proxies
/// keep the connection. At most `maximumStreams` are open at once (more get 503); each ends with the
/// server's graceful shutdown.
final class SyncEventStreams: Sendable {
    let service: EntityService
    let heartbeat: Duration
    let maximumStreams: Int
    let coalescing: Duration = .milliseconds(100)
    private let open = Mutex(0)

    init(service: EntityService, heartbeat: Duration, maximumStreams: Int) {
        self.service = service
        self.heartbeat = heartbeat
        self.maximumStreams = maximumStreams
    }

    /// Takes a place for a new stream; `false` when all are taken.
    func admit() -> Bool {
        open.withLock { count in
            guard count < maximumStreams else { return false }
            count += 1
            return true
        }
    }

    private func leave() { open.withLock { $0 -= 1 } }

    private enum Tick: Sendable {
        case changed, heartbeat
    }

    /// Streams the events of `caller` whose client has everything up to `sequence` (once
    /// ``admit()`` said yes): the first event comes at once when the feed is already past it.
    func stream(for caller: Caller, after sequence: Int64, into writer: inout any ResponseBodyWriter) async throws {
        defer { leave() }
        let signals = service.syncSignals()
        let (ticks, tick) = AsyncStream.makeStream(of: Tick.self, bufferingPolicy: .bufferingNewest(2))
        var last = sequence
        try await writer.write(ByteBuffer(string: ": EntityHub sync events\nretry: 2000\n\n"))
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals { tick.yield(.changed) }
                    tick.finish()
                }
                let heartbeat = self.heartbeat
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        tick.yield(.heartbeat)
                    }
                }
                tick.yield(.changed)
                for await event in ticks {
                    switch event {
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    case .changed:
                        let head = try await service.syncFeedHead(as: caller)
                        if head > last {
                            last = head
                            try await writer.write(ByteBuffer(string: "event: changes\ndata: {\"seq\":\(head)}\n\n"))
                        }
                        try await Task.sleep(for: coalescing)
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            tick.finish()
        }
    }
}
