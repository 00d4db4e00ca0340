import EntityClient
import Foundation

extension SyncClient {
    /// How often an upload is tried again within one sync when the server answers `409` (the offset
    /// moved, or the server is still finishing the request of a cut connection).
    static let uploadConflictRetries = 10

    /// Uploads every attached file the server does not have yet, before the push that may refer to
    /// them. An interrupted upload continues from the server's offset (tus `HEAD`, then `PATCH`). A
    /// transfer that fails (a lost connection, a cancelled sync) throws and leaves the file pending
    /// for the next sync; a file the server refuses for good (too large, or a local copy that no
    /// longer hashes to its name) is reported in ``SyncReport/failedUploads`` and not tried again.
    func uploadPendingFiles(into report: inout SyncReport) async throws {
        let pendingUploads = try await ReplicaState.pendingUploads(in: store)
        // Files the server already has for this user (another replica sent them, or an upload
        // completed but its answer was lost) are not sent again.
        var missing = Set<String>()
        for start in stride(from: 0, to: pendingUploads.count, by: 1000) {
            let digests = pendingUploads[start..<min(start + 1000, pendingUploads.count)].map(\.sha256)
            missing.formUnion(try await client.missingFiles(digests))
        }
        for pending in pendingUploads {
            guard missing.contains(pending.sha256) else {
                try await ReplicaState.removePending(pending.sha256, in: store)
                continue
            }
            let local = localURL(of: pending.sha256)
            guard LocalFile.size(of: local) == pending.size else {
                try await ReplicaState.removePending(pending.sha256, in: store)
                report.failedUploads.append(
                    SyncReport.FailedUpload(
                        sha256: pending.sha256,
                        status: 0,
                        message: "the local copy of the attached file is gone or changed"
                    )
                )
                continue
            }
            do {
                report.uploads.append(try await upload(pending, from: local))
            } catch let error as EntityClientError where error.status.map(Self.refusesForGood) == true {
                report.failedUploads.append(
                    SyncReport.FailedUpload(
                        sha256: pending.sha256,
                        status: error.status ?? 0,
                        message: error.errors.joined(separator: "; ")
                    )
                )
            }
            try await ReplicaState.removePending(pending.sha256, in: store)
        }
    }

    /// Sends `pending` from where the server's upload of it stands.
    private func upload(_ pending: ReplicaState.PendingUpload, from local: URL) async throws -> SyncReport.FileUpload {
        let observer = transferObserver
        var conflicts = 0
        while true {
            let offset = try await client.uploadOffset(ofFile: pending.sha256) ?? 0
            do {
                let reached = try await client.uploadFile(
                    at: local,
                    sha256: pending.sha256,
                    size: pending.size,
                    from: offset
                ) { completed in
                    observer?(
                        FileTransfer(
                            direction: .upload,
                            sha256: pending.sha256,
                            completed: completed,
                            size: pending.size
                        )
                    )
                }
                guard reached == pending.size else {
                    throw SyncClientError("the server took \(reached) of \(pending.size) bytes of \(pending.sha256)")
                }
                return SyncReport.FileUpload(sha256: pending.sha256, size: pending.size, resumedAt: offset)
            } catch let error as EntityClientError where error.status == 409 && conflicts < Self.uploadConflictRetries {
                conflicts += 1
                try await Task.sleep(for: .milliseconds(100 * conflicts))
            }
        }
    }

    /// Statuses after which sending the same bytes again cannot succeed.
    private static func refusesForGood(_ status: Int) -> Bool {
        [400, 413, 422].contains(status)
    }
}
