import ArgumentParser
import EntityModel
import Foundation

/// `--format` of the commands that list records (users, keys, rights, audit events): a table on a
/// terminal, JSON Lines otherwise, as `entityhub list` does.
struct RecordOutputOptions: ParsableArguments {
    @Option(help: "table, json, jsonl or csv (default: table on a terminal, jsonl otherwise).")
    var format: OutputFormat?

    /// Writes `records` to standard output in the chosen format, a table of their ``TableRecord/columns``.
    func write<Record: TableRecord>(_ records: [Record]) throws {
        let output = BufferedOutput()
        var writer = EntityWriter(
            format: format ?? (output.isTerminal ? .table : .jsonl),
            columns: Record.columns,
            excluded: [],
            includeMeta: true,
            output: output
        )
        for record in records { try writer.write(record.row) }
        try writer.finish()
    }
}

/// A record that the list commands print: one row of a table, or one JSON object.
protocol TableRecord {
    /// The table's columns, in order: the keys of ``row``.
    static var columns: [String] { get }
    /// The record as a JSON object.
    var row: JSON { get }
}

extension JSON {
    /// A cell of a record table: the string, or `null` for `nil`.
    init(cell text: String?) {
        self = text.map(JSON.string) ?? .null
    }

    /// A time as a cell of a record table: ISO 8601 UTC to the second, such as `2026-12-02T10:00:00Z`.
    init(cell date: Date) {
        self = .string(date.formatted(.iso8601))
    }
}
