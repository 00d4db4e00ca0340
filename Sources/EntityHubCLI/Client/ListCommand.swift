import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub list products --filter ... --order ... --limit 20`: prints entities as a table or as data.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List entities of a collection: a table on a terminal, JSON Lines otherwise.",
        discussion: """
            Examples:
              entityhub list products --filter 'gt(price,10)' --order -price --select id,name,price
              entityhub list products --all --format jsonl > products.jsonl
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var query: QueryOptions

    @Argument(help: "The collection, e.g. products or devops/services.")
    var collection: String

    @Option(help: "How many entities to print (default 100).")
    var limit: Int?

    @Flag(help: "Print every matching entity (fetched page by page).")
    var all = false

    @Option(help: "Skip this many entities first.")
    var offset = 0

    @Option(help: "table, json, jsonl or csv (default: table on a terminal, jsonl otherwise).")
    var format: OutputFormat?

    @Option(help: "Entities fetched per request.")
    var pageSize = 100

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if all && limit != nil { throw ValidationError("give either --all or --limit, not both") }
        guard offset >= 0 else { throw ValidationError("--offset must not be negative") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 1000") }
    }

    func run() async throws {
        let client = try connection.makeClient(pageSize: pageSize)
        let matching = query.resourceSet(of: try EntityPath(collection).collection(in: client))
        var set = matching[offset...]
        if !all { set = set.limit(limit ?? 100) }
        let output = BufferedOutput()
        let chosenFormat = format ?? (output.isTerminal ? .table : .jsonl)
        var writer = EntityWriter(
            format: chosenFormat,
            columns: query.selectedColumns,
            excluded: query.excludedColumns,
            includeMeta: chosenFormat != .table && chosenFormat != .csv,
            output: output
        )
        var printed = 0
        for try await entity in set {
            try writer.write(entity)
            printed += 1
        }
        try writer.finish()
        if chosenFormat == .table {
            let total = try await matching.count()
            let shown = printed == 0 ? "none" : "\(offset + 1)–\(offset + printed)"
            printToStandardError("\(shown) of \(total) entities")
        }
    }
}
