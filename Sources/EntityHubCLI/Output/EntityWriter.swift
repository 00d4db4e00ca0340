import EntityModel

/// Writes a stream of entities in one ``OutputFormat``: JSON Lines and JSON as they come; CSV and tables
/// after a first chunk has shown which columns there are.
struct EntityWriter {
    let format: OutputFormat
    /// The columns asked for; empty means "those of the first chunk".
    private var columns: [String]
    private let excluded: Set<String>
    private let includeMeta: Bool
    private let output: BufferedOutput
    /// Entities held back until the columns are known (at most ``chunkSize``).
    private var pending: [JSON] = []
    private var csvWriter: CSVWriter?
    private var tableWidths: [Int]?
    private var written = 0
    private let chunkSize = 100

    init(format: OutputFormat, columns: [String], excluded: Set<String>, includeMeta: Bool, output: BufferedOutput) {
        self.format = format
        self.columns = columns
        self.excluded = includeMeta ? excluded : excluded.union(["_meta"])
        self.includeMeta = includeMeta
        self.output = output
    }

    mutating func write(_ entity: JSON) throws {
        let entity = includeMeta ? entity : Self.removingMeta(entity)
        switch format {
        case .jsonl:
            try output.withBuffer { buffer in
                entity.write(into: &buffer)
                buffer.append(0x0A)
            }
        case .json:
            try output.withBuffer { buffer in
                buffer.append(contentsOf: (written == 0 ? "[\n" : ",\n").utf8)
                entity.write(into: &buffer)
            }
        case .csv, .table:
            pending.append(entity)
            if pending.count >= chunkSize { try flushPending() }
        }
        written += 1
    }

    /// Writes what is held back and closes the document (the `]` of JSON).
    mutating func finish() throws {
        switch format {
        case .json: try output.write(written == 0 ? "[]\n" : "\n]\n")
        case .csv, .table: try flushPending()
        case .jsonl: break
        }
        try output.flush()
    }

    private mutating func flushPending() throws {
        if columns.isEmpty {
            columns = CSVWriter.columns(for: pending, excluding: excluded)
            if format == .table { columns = TableRenderer.topLevelColumns(columns) }
        }
        switch format {
        case .csv:
            if csvWriter == nil {
                let writer = CSVWriter(columns: columns)
                try output.write(writer.headerLine())
                csvWriter = writer
            }
            for entity in pending { try output.write(csvWriter?.line(for: entity) ?? "") }
        default:
            // The first chunk sets the columns' widths; later chunks are cut to fit them, so the table
            // stays aligned however long it is.
            let table = TableRenderer(columns: columns, maximumWidth: ProgressReporter.terminalWidth())
            if let tableWidths {
                try output.write(table.render(pending, widths: tableWidths, includeHeader: false))
            } else {
                let widths = table.columnWidths(for: pending)
                try output.write(table.render(pending, widths: widths, includeHeader: true))
                tableWidths = widths
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    private static func removingMeta(_ entity: JSON) -> JSON {
        guard case .object(var members) = entity, members["_meta"] != nil else { return entity }
        members.removeValue(forKey: "_meta")
        return .object(members)
    }
}
