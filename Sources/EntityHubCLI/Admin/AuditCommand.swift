import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub audit [--after N] [--limit N]`: the audit log, oldest first (needs an admin's key).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit log: who added users, made keys, signed in, granted and revoked (as an admin).",
        discussion: """
            Events come oldest first; to read on, pass the last sequence number seen as --after.
            Example: entityhub audit --after 120 --limit 50
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: RecordOutputOptions

    @Option(help: "Only events after this sequence number.")
    var after: Int64 = 0

    @Option(help: "How many events to print at most.")
    var limit = 100

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after must not be negative") }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let events = try await connection.makeClient().admin.audit(after: after, limit: limit)
        try output.write(events)
        if events.count == limit, let last = events.last {
            printToStandardError("more events may follow: --after \(last.sequence)")
        }
    }
}

extension AuditEntry: TableRecord {
    static let columns = ["sequence", "at", "action", "actor", "subject", "target", "detail"]

    /// The event as a row of `audit`.
    var row: JSON {
        [
            "sequence": .integer(sequence), "at": JSON(cell: at), "action": .string(action),
            "actor": JSON(cell: actor), "subject": JSON(cell: subject), "target": JSON(cell: target),
            "detail": JSON(cell: detail),
        ]
    }
}
