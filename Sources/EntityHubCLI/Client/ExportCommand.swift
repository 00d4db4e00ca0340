import ArgumentParser
import EntityClient
import EntityModel
import Foundation

/// `entityhub export products > products.jsonl`: streams every entity to JSON Lines or CSV.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Stream every entity of a collection (or those matching --filter) as JSON Lines or CSV.",
        discussion: """
            Entities are read page by page in id order (each page after the last id seen), so memory stays
            flat and every page costs the same whatever the size.
            Examples:
              entityhub export products > products.jsonl
              entityhub export products --format csv --filter 'eq(status,active)' --output active.csv
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var query: QueryOptions

    @Argument(help: "The collection, e.g. products.")
    var collection: String

    @Option(help: "jsonl (default), json (one array) or csv.")
    var format: OutputFormat = .jsonl

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "CSV columns (comma-separated dot paths); default: the fields of the first page.")
    var columns: String?

    @Flag(help: "Keep the _meta object (version, created, updated) in each record.")
    var includeMeta = false

    @Option(help: "Entities fetched per request.")
    var pageSize = 1000

    func validate() throws {
        guard format != .table else { throw ValidationError("--format must be jsonl, json or csv") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 1000") }
    }

    func run() async throws {
        let client = try connection.makeClient(pageSize: pageSize)
        var set = query.resourceSet(of: try EntityPath(collection).collection(in: client))
        // Without an explicit order, walk by id: each page costs the same however deep the export goes.
        if query.order == nil { set = set.pagedByID() }
        let sink = try output.map(BufferedOutput.init(creatingFile:)) ?? BufferedOutput()
        var writer = EntityWriter(
            format: format,
            columns: columns.map { FieldList($0).paths } ?? query.selectedColumns,
            excluded: query.excludedColumns,
            includeMeta: includeMeta,
            output: sink
        )
        var exported = 0
        for try await entity in set {
            try writer.write(entity)
            exported += 1
        }
        try writer.finish()
        if output != nil { printToStandardError("exported \(exported) entities to \(output ?? "")") }
    }
}

extension BufferedOutput {
    /// An output that creates (or truncates) the file at `path`.
    convenience init(creatingFile path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.init(descriptor: descriptor, closesOnDeinit: true)
    }
}
