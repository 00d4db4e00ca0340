import ArgumentParser
import EntityClient
import EntityModel
import Foundation

/// `entityhub import products products.csv`: loads JSON Lines, a JSON array or CSV in bulk requests.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create entities from JSON Lines, a JSON array or CSV, in bulk requests.",
        discussion: """
            Records the server refuses are reported with their line numbers; all others are imported.
            The exit status is 0 when every record was imported, 2 when some were refused, 1 on failure.
            CSV: the first row names the fields (dot paths such as address.city make nested objects); cells
            become numbers, booleans or JSON when they look like one, empty cells are left out.
            Examples:
              entityhub import products products.jsonl
              cat orders.csv | entityhub import orders - --format csv --batch-size 500
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The collection to create the entities in.")
    var collection: String

    @Argument(help: "The input file, or '-' for standard input.")
    var file: String

    @Option(help: "jsonl, json or csv (default: from the file's extension or its first byte).")
    var format: InputFormat?

    @Option(help: "Records per bulk request.")
    var batchSize = 1000

    @Option(help: "Bulk requests in flight at once.")
    var concurrency = 2

    @Option(help: "The CSV field separator.")
    var delimiter = ","

    @Option(help: "auto (a bar on a terminal, lines otherwise), bar, lines or none.")
    var progress: ProgressStyle = .auto

    func validate() throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 10000") }
        guard (1...16).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 16") }
        guard delimiter.utf8.count == 1 else { throw ValidationError("--delimiter must be one ASCII character") }
    }

    func run() async throws {
        let target = try EntityPath(collection).collection(in: try connection.makeClient())
        var reader = try RecordReaders.open(path: file, format: format, delimiter: delimiter.utf8.first ?? 0x2C)
        var display = ImportProgressDisplay(style: progress, source: file == "-" ? "stdin" : file)
        let importer = Importer(batchSize: batchSize, concurrency: concurrency, sender: BatchSender(collection: target))
        var summary = Importer.Summary()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await importer.run(reader: &reader, summary: &summary) { progress in
                display.update(progress, elapsed: clock.now - start)
            }
        } catch {
            display.finish(summary, bytesRead: reader.bytesRead, elapsed: clock.now - start)
            throw CLIError("\(error) (stopped after importing \(summary.accepted) records)")
        }
        display.finish(summary, bytesRead: reader.bytesRead, elapsed: clock.now - start)
        if !summary.rejected.isEmpty { throw ExitCode(2) }
    }
}

/// How import progress is shown.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    case auto, bar, lines, none
}

extension InputFormat: ExpressibleByArgument {}
