import EntityService
import Logging
import ServiceLifecycle

/// Forgets, now and then, what only sync cursors older than the retention need (feed deletions and
/// revocations, push receipts): such a cursor is answered `410 CURSOR_EXPIRED` and its client pulls
/// the snapshot again. Also deletes interrupted uploads older than a day, files no entity has
/// referred to for the grace period, and, a part of the blob folder per run, blobs no store record
/// knows. Runs every hour, or twice per retention or grace period when that is shorter.
struct SyncSweeper: Service {
    let service: EntityService
    /// Its interrupted uploads older than a day are discarded on each run too.
    let files: FileService
    let retention: Duration
    let fileGracePeriod: Duration
    let logger: Logger

    var interval: Duration { min(.seconds(3600), max(.seconds(1), min(retention, fileGracePeriod) / 2)) }

    /// How many blobs one run checks for a store record.
    static let unrecordedBlobSweep = 10_000

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var blobCursor: String?
            while !Task.isCancelled {
                do {
                    try await service.pruneSync(olderThan: retention)
                    try await files.removeStaleUploads()
                    try await service.pruneStagedFiles()
                    try await files.removeUnreferencedFiles(olderThan: fileGracePeriod)
                    blobCursor = try await files.removeUnrecordedBlobs(
                        after: blobCursor,
                        limit: Self.unrecordedBlobSweep,
                        olderThan: fileGracePeriod
                    ).next
                } catch {
                    logger.warning("sync retention sweep failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
