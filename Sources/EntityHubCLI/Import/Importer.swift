import EntityClient
import EntityModel

/// Reads records, sends them in bulk batches (several in flight at once), and tallies what was created
/// and what was refused.
struct Importer {
    /// How many records each bulk request carries.
    var batchSize: Int
    /// How many bulk requests are in flight at once.
    var concurrency: Int
    let sender: BatchSender

    /// The tally of a finished (or stopped) import.
    struct Summary: Sendable {
        var accepted = 0
        var rejected: [RejectedRecord] = []
    }

    /// How far the import has come, for progress displays.
    struct Progress {
        var summary: Summary
        /// The record just refused, if that is the news.
        var rejection: RejectedRecord?
        var bytesRead: Int
        var totalBytes: Int?
    }

    /// Imports everything `reader` yields; `report` is called after each batch and each refused record.
    ///
    /// When a batch fails for a reason that concerns the whole import (the server is down, the collection
    /// does not exist), the batches in flight finish and the error is thrown with what was imported so far
    /// in `summary`.
    func run(
        reader: inout some RecordReader,
        summary: inout Summary,
        report: (Progress) -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: BatchOutcome.self) { group in
            var inFlight = 0
            var batch: [PendingRecord] = []
            batch.reserveCapacity(batchSize)

            func absorb(_ outcome: BatchOutcome) {
                summary.accepted += outcome.accepted
                for rejection in outcome.rejected {
                    summary.rejected.append(rejection)
                    report(
                        Progress(
                            summary: summary,
                            rejection: rejection,
                            bytesRead: reader.bytesRead,
                            totalBytes: reader.totalBytes
                        )
                    )
                }
                report(
                    Progress(
                        summary: summary,
                        rejection: nil,
                        bytesRead: reader.bytesRead,
                        totalBytes: reader.totalBytes
                    )
                )
            }

            func submit() async throws {
                guard !batch.isEmpty else { return }
                if inFlight == concurrency, let outcome = try await group.next() {
                    inFlight -= 1
                    absorb(outcome)
                }
                let records = batch
                let sender = self.sender
                group.addTask { try await sender.send(records) }
                inFlight += 1
                batch = []
                batch.reserveCapacity(batchSize)
            }

            while let record = try reader.next() {
                switch record {
                case .record(let line, let value):
                    batch.append(PendingRecord(line: line, value: value))
                    if batch.count == batchSize { try await submit() }
                case .malformed(let line, let reason):
                    let rejection = RejectedRecord(line: line, messages: [reason])
                    summary.rejected.append(rejection)
                    report(
                        Progress(
                            summary: summary,
                            rejection: rejection,
                            bytesRead: reader.bytesRead,
                            totalBytes: reader.totalBytes
                        )
                    )
                }
            }
            try await submit()
            while let outcome = try await group.next() { absorb(outcome) }
        }
    }
}
