import EntityClient
import EntityModel

extension SyncClient {
    /// Syncs now, then again whenever the server says the user's feed grew (`GET /api/v1/_sync/events`),
    /// until the calling task is cancelled. A lost connection is opened again after `retryDelay`;
    /// `onSync` gets each report (and each error, after which syncing goes on).
    ///
    /// ```swift
    /// let live = Task { try await replica.live { result in print(result) } }
    /// …
    /// live.cancel()
    /// ```
    public func live(
        retryDelay: Duration = .seconds(2),
        onSync: @escaping @Sendable (Result<SyncReport, any Error>) -> Void = { _ in }
    ) async throws {
        while !Task.isCancelled {
            await report(onSync)
            let cursor = try await ReplicaState.value("cursor", in: store)?.stringValue
            do {
                for try await event in client.serverSentEvents("_sync/events", query: cursor.map { "cursor=" + $0 })
                where event.name == "changes" {
                    await report(onSync)
                }
            } catch {
                if Task.isCancelled { return }
                onSync(.failure(error))
            }
            try? await Task.sleep(for: retryDelay)
        }
    }

    private func report(_ onSync: @Sendable (Result<SyncReport, any Error>) -> Void) async {
        do { onSync(.success(try await sync())) } catch { onSync(.failure(error)) }
    }
}
