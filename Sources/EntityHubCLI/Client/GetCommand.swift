import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub get products/PRD-1`: prints one entity.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print one entity as JSON.",
        discussion: "Example: entityhub get products/PRD-123-456-789 --values name,price"
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "COLLECTION/ID, e.g. products/PRD-1 or devops/services/SRVC-1.")
    var path: String

    @Option(help: "Print only these fields (comma-separated dot paths).")
    var values: String?

    @Flag(help: "Print compact JSON on one line.")
    var compact = false

    func run() async throws {
        let resource = try EntityPath(path).resource(in: try connection.makeClient())
        var entity = try await resource.get()
        if let values {
            let picked = FieldList(values).paths.compactMap { path in
                entity.value(at: path.split(separator: ".").map(String.init)).map { (path, $0) }
            }
            entity = .object(Dictionary(picked, uniquingKeysWith: { first, _ in first }))
        }
        try printJSON(entity, compact: compact)
    }
}

/// Prints `value` to standard output: indented, or on one line with `compact`.
func printJSON(_ value: JSON, compact: Bool) throws {
    let output = BufferedOutput()
    try output.write((compact ? value.serialized() : JSONPrettyPrinter.text(value)) + "\n")
    try output.flush()
}

/// A comma-separated list of fields on the command line: `id,name,-description`.
struct FieldList {
    let paths: [String]

    init(_ text: String) {
        paths = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
